/** The Settings page's "Token approval" choice (console/i18n.ts explains the pattern). */
import { defineStrings } from './i18n.ts';

export const approvalSettingsStrings = defineStrings({
  en: {
    legend: 'Token approval',
    help: 'A token that needs approval is created pending: its secret is shown once but works only after an approver (a System Admin, or an admin of the organisation it is bounded to) approves it.',
    off: 'Off: tokens work as soon as they are created',
    non_admins: 'For everyone but System Admins',
    all: 'For everyone, System Admins too',
  },
  de: {
    legend: 'Token-Freigabe',
    help: 'Ein Token, das eine Freigabe braucht, wird als ausstehend erstellt: Sein Geheimnis wird einmal angezeigt, funktioniert aber erst, wenn eine freigebende Person (ein System-Admin oder ein Admin der Organisation, an die es gebunden ist) es freigibt.',
    off: 'Aus: Tokens funktionieren sofort nach dem Erstellen',
    non_admins: 'Für alle außer System-Admins',
    all: 'Für alle, auch für System-Admins',
  },
});
