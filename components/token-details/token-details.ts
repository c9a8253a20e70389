/** Registers `<pat-token-details>`. */
import { register } from '../shared/register.ts';
import { PatTokenDetails } from './token-details.component.ts';

export { PatTokenDetails };
// Types only (erased at run time): brings the kit's events into GlobalEventHandlersEventMap.
export type * from '../shared/events.ts';

register('pat-token-details', PatTokenDetails);

declare global {
  interface HTMLElementTagNameMap {
    'pat-token-details': PatTokenDetails;
  }
}
