/** English counts choose their word through `Intl.PluralRules`, so "1 token" and "2 tokens" both read right. */
const plural = new Intl.PluralRules('en');
/** `n` followed by the singular or plural word, as English plural rules say. */
export const count = (n: number, one: string, other: string): string => `${n} ${plural.select(n) === 'one' ? one : other}`;
