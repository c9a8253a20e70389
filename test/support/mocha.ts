/**
 * Typed handles on the Mocha globals @web/test-runner provides in the browser (the project has no
 * @types/mocha), for every browser test. Module-scoped on purpose: importing these declares
 * nothing global.
 */
type Done = () => void | Promise<void>;

interface MochaGlobals {
  describe(title: string, body: () => void): void;
  it(title: string, body: Done): void;
  before(body: Done): void;
  after(body: Done): void;
  beforeEach(body: Done): void;
  afterEach(body: Done): void;
}

const mocha = globalThis as unknown as MochaGlobals;

export const describe = mocha.describe.bind(globalThis);
export const it = mocha.it.bind(globalThis);
export const before = mocha.before.bind(globalThis);
export const after = mocha.after.bind(globalThis);
export const beforeEach = mocha.beforeEach.bind(globalThis);
export const afterEach = mocha.afterEach.bind(globalThis);
