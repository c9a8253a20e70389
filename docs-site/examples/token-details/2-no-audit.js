import 'patkit/token-details';
import { demoProvider } from '../../demo/provider.js';

const provider = demoProvider();
provider.capabilities = { ...provider.capabilities, audit: false, recentUses: false, rotationGraceMaxSeconds: 0 };
const details = document.querySelector('#plain-details');
details.provider = provider;
details.token = provider.tokens[1];
