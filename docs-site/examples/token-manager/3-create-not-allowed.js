import 'patkit/token-manager';
import { demoProvider } from '../../demo/provider.js';

// A provider's capabilities decide what the manager offers; here the role may not create tokens.
// Without a reason of its own (a provider's reason is shown as it is written), the manager says so
// in the page's language: "You cannot create tokens on this server."
const provider = demoProvider();
provider.capabilities = {
  ...provider.capabilities,
  create: { allowed: false, reason: null },
};
document.querySelector('#no-create').provider = provider;
