/**
 * Typed handles on the Mocha globals @web/test-runner provides in the browser (the project has no
 * @types/mocha), for the component tests. Importing declares nothing global.
 */
type Body = () => void | Promise<void>;

interface MochaGlobals {
  describe(title: string, body: () => void): void;
  it(title: string, body: Body): void;
  before(body: Body): void;
  after(body: Body): void;
  beforeEach(body: Body): void;
  afterEach(body: Body): void;
}

const mocha = globalThis as unknown as MochaGlobals;

export const describe = mocha.describe.bind(globalThis);
export const it = mocha.it.bind(globalThis);
export const before = mocha.before.bind(globalThis);
export const after = mocha.after.bind(globalThis);
export const beforeEach = mocha.beforeEach.bind(globalThis);
export const afterEach = mocha.afterEach.bind(globalThis);
