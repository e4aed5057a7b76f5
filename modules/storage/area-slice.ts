// A window of whole erase blocks inside a larger FlashArea, so one flash partition can hold the
// record store and the audit log side by side without either seeing the other's blocks.
import type { FlashArea } from '../core/flash-area.js';
import { StorageError } from './errors.js';

export function sliceArea(area: FlashArea, firstBlock: number, blockCount: number): FlashArea {
  const blocks = area.size / area.eraseSize;
  if (!Number.isInteger(firstBlock) || !Number.isInteger(blockCount) || firstBlock < 0 || blockCount < 1 || firstBlock + blockCount > blocks) {
    throw new StorageError('geometry', `blocks ${firstBlock}+${blockCount} outside the area's ${blocks} blocks`);
  }
  const base = firstBlock * area.eraseSize;
  const size = blockCount * area.eraseSize;
  const inside = (offset: number, length: number): void => {
    if (offset < 0 || length < 0 || offset + length > size) throw new StorageError('invalid', `range ${offset}+${length} outside the slice of ${size} bytes`);
  };
  return {
    size,
    eraseSize: area.eraseSize,
    writeSize: area.writeSize,
    read(offset, length) {
      inside(offset, length);
      return area.read(base + offset, length);
    },
    program(offset, data) {
      inside(offset, data.length);
      area.program(base + offset, data);
    },
    eraseBlock(block) {
      if (!Number.isInteger(block) || block < 0 || block >= blockCount) throw new StorageError('invalid', `block ${block} outside the slice`);
      area.eraseBlock(firstBlock + block);
    },
  };
}
