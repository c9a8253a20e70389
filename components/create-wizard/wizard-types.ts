/** The create wizard's types: its steps, fields, context and draft (wizard-form.ts holds the rules). */
import type { ResourceRef, ScopeCatalog, TokenTemplate } from '../../lib/model.ts';
import type { ProviderCapabilities } from '../../lib/provider.ts';
import type { PatWizardSubmitEvent } from '../shared/events.ts';
import type { PatStrings } from '../shared/strings.ts';
import type { FineGrainedStrings } from './fine-grained.strings.ts';

export type StepId = 'details' | 'expiry' | 'access' | 'resources' | 'owner' | 'confirm';
/** Every string the wizard shows: the kit's and its fine-grained parts'. */
export type WizardText = PatStrings & FineGrainedStrings;

/** What the user has entered (the password is kept apart, never in state). */
export interface WizardFields {
  name: string;
  description: string;
  /** A preset's days, `default`, `custom` or `never`. */
  expiryChoice: string;
  /** `YYYY-MM-DD` when `expiryChoice` is `custom`. */
  customDate: string;
  /** A preset's id or `custom`. */
  accessChoice: string;
  customScopes: ReadonlySet<string>;
  scopeSearch: string;
  onlyChecked: boolean;
  /** Empty: the signed-in user. */
  ownerId: string;
  ownerSearch: string;
  /** The template the token starts from; empty: none. */
  templateId: string;
  /** `all`: everything the owner can reach; `selected`: only `resources`. */
  resourceMode: 'all' | 'selected';
  resources: readonly ResourceRef[];
  /** The allow-list as typed: one address or range per line. */
  allowedIps: string;
  /** `YYYY-MM-DDTHH:mm` (local time) or empty. */
  notBefore: string;
  justification: string;
}

export type Draft = PatWizardSubmitEvent['detail']['draft'];
export type FieldErrors = Record<string, string>;

/** What the rules read besides the fields. */
export interface WizardContext {
  caps: ProviderCapabilities;
  catalog: ScopeCatalog;
  /** An admin creating (not editing) may create for someone else. */
  canPickOwner: boolean;
  /** Creating (not editing): resources, templates and the justification apply only then. */
  creating: boolean;
  /** The chosen template, whose values the fields may only narrow. */
  template: TokenTemplate | null;
}
