/** The Requests page's words and its nav item (console/i18n.ts explains the pattern). */
import { defineStrings } from './i18n.ts';

export const requestsStrings = defineStrings({
  en: {
    title: 'Requests',
    intro: 'Tokens created under approval wait here. Approve one to let it work, or deny it with a reason the requester reads.',
    pending: (n: string) => `${n} pending`,
    list: 'Token requests',
  },
  de: {
    title: 'Anfragen',
    intro: 'Hier warten Tokens, die unter Freigabe erstellt wurden. Geben Sie eines frei, damit es funktioniert, oder lehnen Sie es mit einer Begründung ab, die der Antragsteller liest.',
    pending: (n: string) => `${n} ausstehend`,
    list: 'Token-Anfragen',
  },
});
