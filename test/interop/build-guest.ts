/**
 * Builds (or finds cached) the interop guest image and prints where it is:
 *   node dist/test/interop/build-guest.js
 * CI may run it before `npm run test:interop` so a build failure shows on its own.
 */
import { ensureGuestImage } from './guest-image.js';

try {
  const image = ensureGuestImage((line) => console.error(`build-guest: ${line}`));
  console.log(JSON.stringify(image, null, 2));
} catch (e) {
  console.error(`build-guest: ${(e as Error).message}`);
  process.exit(1);
}
