import 'patkit/token-requests';
import { requestsProvider } from '../../demo/provider.js';

document.querySelector('#denied-requests').provider = requestsProvider();
