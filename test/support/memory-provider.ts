/**
 * TEST DOUBLE: the component tests' in-memory `TokenProvider` is the documentation site's demo
 * server (docs-site/demo-provider.ts): plain arrays, no network, so each test controls data,
 * capabilities and failures, and the component pages' live demos run on exactly what the tests
 * check. The real patkit provider against a real server is exercised by the console test
 * (test/console/console.browser.test.ts) and by the lib suite.
 */
export * from '../../docs-site/demo-provider.ts';
export * from '../../docs-site/demo-requests.ts';
