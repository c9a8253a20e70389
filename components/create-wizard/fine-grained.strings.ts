/**
 * English strings of the wizard's fine-grained parts (templates, resources, IP allow-list,
 * not-before, approval). They ship with the wizard's own, lazily loaded code, not with the kit's
 * up-front `defaultStrings`; another locale gives them as `PatLocale.wizard`.
 */
import { count } from '../shared/plural.ts';

export const defaultFineGrainedStrings = {
  templateLabel: 'Start from a template',
  templateNone: 'No template',
  templateNarrowOnly: 'The template sets the limits: you may only narrow them (fewer methods, a shorter expiry, fewer resources or addresses).',
  templateScopes: (ids: string) => `The template allows only: ${ids}.`,
  templateExpiry: (d: number) => `The template allows at most ${count(d, 'day', 'days')}.`,
  templateResources: 'Pick only resources the template names.',
  templateIps: (list: string) => `Outside the template's ranges: ${list}.`,
  stepResources: 'Resources',
  resourcesAll: 'All resources',
  resourcesAllHelp: 'Everything you can reach, as today.',
  resourcesSelected: 'Only selected resources',
  resourcesType: 'Resource type',
  resourcesAnyType: 'Any type',
  resourcesSearch: 'Search resources',
  resourcesResults: 'Matching resources',
  resourcesSearching: 'Searching…',
  resourcesFound: (n: number) => (n === 0 ? 'No resource matches.' : `${count(n, 'resource', 'resources')} found.`),
  resourcesChosen: 'Selected resources',
  resourcesAdd: (name: string) => `Add ${name}`,
  resourcesRemove: (name: string) => `Remove ${name}`,
  resourcesNone: 'Pick at least one resource, or choose "All resources".',
  resourcesTooMany: (max: number) => `Pick at most ${max} resources.`,
  resourcesError: 'The resources could not be loaded.',
  advanced: 'Advanced',
  ipsLabel: 'Allowed IP addresses',
  ipsHelp: 'One address or range per line, e.g. 203.0.113.0/24 or 2001:db8::/32. Empty: any address.',
  ipsInvalid: (list: string) => `Not an IP address or range: ${list}. Write one per line, like 203.0.113.0/24.`,
  ipsTooMany: (max: number) => `At most ${max} addresses or ranges.`,
  notBeforeLabel: 'Valid from',
  notBeforeHelp: 'The token works nowhere before this time. Empty: from creation.',
  notBeforeInvalid: 'Pick a time in the future, or leave it empty.',
  notBeforeAfterExpiry: 'Pick a time before the token expires.',
  justificationLabel: 'Why do you need this token?',
  justificationHelp: 'Your organisation reads this when it reviews the request.',
  justificationRequired: 'Say why you need this token.',
  justificationTooLong: (max: number) => `At most ${max} characters.`,
  approvalNotice:
    'Your organisation reviews this request before the token works: its name, access, resources, allowed addresses, validity and your justification. The token is shown once when you create it, but it works only after an approver approves it.',
  approvalSent: 'Request sent. The token works once an approver approves it.',
  summaryTemplate: 'Template',
  summaryResources: 'Resources',
  summaryIps: 'Allowed IP addresses',
  summaryAnyIp: 'Any address',
  summaryNotBefore: 'Valid from',
} as const;

type Widen<T> = T extends string ? string : T;
export type FineGrainedStrings = { [K in keyof typeof defaultFineGrainedStrings]: Widen<(typeof defaultFineGrainedStrings)[K]> };
