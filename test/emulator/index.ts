// The Gladia emulator's public API (contract: ARCHITECTURE.md, "Emulator").
export { startEmulator, ERROR_CODE_AUDIO_NOT_FOUND, ERROR_CODE_TOO_LONG } from './server';
export { makeWav, writeWavFile, wavSize } from './wav';
export { validateResponse, validateComponent, OVERLAYS } from './contract';
export type * from './types';
