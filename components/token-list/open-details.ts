import type { TokenMeta } from '../../lib/model.ts';
import { register } from '../shared/register.ts';
import type { DetailsOpenOptions, PatTokenDetails as TokenDetailsClass } from '../token-details/token-details.component.ts';

/**
 * Opens `<pat-token-details>` for `token` as a modal and resolves when it closes. Its code comes
 * from `load` on first use (a chunk of its own), so a page that never opens a token does not pay
 * for it up front; the tag is defined under the kit's name unless the host registered the class
 * (or the tag) itself. `opening` runs once the view is about to show.
 */
export async function openTokenDetails(
  load: () => Promise<typeof TokenDetailsClass>,
  token: TokenMeta,
  options: DetailsOpenOptions & { opening: () => void },
): Promise<void> {
  const PatTokenDetails = await load();
  if (!customElements.getName?.(PatTokenDetails)) register('pat-token-details', PatTokenDetails);
  const { opening, ...open } = options;
  opening();
  await PatTokenDetails.open(token, open);
}
