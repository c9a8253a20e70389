import 'patkit/token-list';
import { MemoryProvider } from '../../demo/provider.js';

document.querySelector('#empty-list').provider = new MemoryProvider();
