import 'patkit/token-manager';
import { demoProvider } from '../../demo/provider.js';

// A provider's capabilities decide what the manager offers; here the role may not create tokens.
const provider = demoProvider();
provider.capabilities = {
  ...provider.capabilities,
  create: { allowed: false, reason: 'Your role may not create tokens. Ask a System Admin.' },
};
document.querySelector('#no-create').provider = provider;
