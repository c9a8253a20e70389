import 'patkit/token-manager';
import { demoProvider } from '../../demo/provider.js';

// In a host app: createPatkitProvider({ baseUrl, auth }) from 'patkit/provider'.
document.querySelector('#my-tokens').provider = demoProvider();
