/** Registers `<pat-token-requests>`. */
import { register } from '../shared/register.ts';
import { PatTokenRequests } from './token-requests.component.ts';

export { PatTokenRequests };
// Types only (erased at run time): brings the kit's events into GlobalEventHandlersEventMap.
export type * from '../shared/events.ts';

register('pat-token-requests', PatTokenRequests);

declare global {
  interface HTMLElementTagNameMap {
    'pat-token-requests': PatTokenRequests;
  }
}
