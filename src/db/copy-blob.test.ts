// The COPY data handed to PGlite's /dev/blob: exactly the bytes given, whatever view they are in.
import { expect, it } from 'vitest';
import { blobOf } from './copy.ts';

const bytesOf = async (b: Blob): Promise<number[]> => [...new Uint8Array(await b.arrayBuffer())];

it('hands over a whole buffer as it is, a view of a larger one as its own bytes, text as UTF-8', async () => {
  const whole = new Uint8Array([1, 2, 3]);
  expect((await blobOf(whole).arrayBuffer()) === whole.buffer).toBe(true);
  const big = new Uint8Array([9, 9, 1, 2, 3, 9]);
  const view = big.subarray(2, 5);
  expect(await bytesOf(blobOf(view))).toEqual([1, 2, 3]);
  expect(blobOf(view).size).toBe(3);
  expect(await bytesOf(blobOf('a\t县\n'))).toEqual([...Buffer.from('a\t县\n')]);
});
