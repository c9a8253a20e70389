import 'patkit/token-requests';
import { requestsProvider } from '../../demo/provider.js';

document.querySelector('#no-requests').provider = requestsProvider([]);
