/** The Organization page's "Require approval" switch (console/i18n.ts explains the pattern). */
import { defineStrings } from './i18n.ts';

export const orgApprovalStrings = defineStrings({
  en: {
    heading: 'Token approval',
    label: 'Require approval for tokens bounded to this organization',
    help: 'Tokens bounded to this organization\u2019s resources are created pending until a System Admin or an admin of this organization approves them, whatever the server-wide setting says.',
    on: 'Tokens bounded to this organization now need approval.',
    off: 'Tokens bounded to this organization no longer need approval (the server-wide setting still applies).',
  },
  de: {
    heading: 'Token-Freigabe',
    label: 'Freigabe für Tokens verlangen, die an diese Organisation gebunden sind',
    help: 'Tokens, die an Ressourcen dieser Organisation gebunden sind, bleiben ausstehend, bis ein System-Admin oder ein Admin dieser Organisation sie freigibt – unabhängig von der serverweiten Einstellung.',
    on: 'Tokens, die an diese Organisation gebunden sind, brauchen jetzt eine Freigabe.',
    off: 'Tokens, die an diese Organisation gebunden sind, brauchen keine Freigabe mehr (die serverweite Einstellung gilt weiterhin).',
  },
});
