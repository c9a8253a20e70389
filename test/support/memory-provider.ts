/**
 * TEST DOUBLE: the component tests' in-memory `TokenProvider` is the gallery's demo server
 * (gallery/demo-provider.ts): plain arrays, no network, so each test controls data, capabilities
 * and failures, and the documentation page runs on exactly what the tests check. The real patkit
 * provider against a real server is exercised by the console test
 * (test/console/console.browser.test.ts) and by the lib suite.
 */
export * from '../../gallery/demo-provider.ts';
