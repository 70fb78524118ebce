export {
  type RandomSource,
  bufferedRandom,
  randomBelow,
  randomBit,
  randomBytes,
  seededRandom,
  systemRandom,
} from './random.js';
