import { defineBackground } from 'wxt/utils/define-background';

export default defineBackground(() => {
  // The extension issue fills this in: the background owns credentials and the network.
});
