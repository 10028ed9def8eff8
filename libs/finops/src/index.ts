export { FocusFileError, readFocusFile, REQUIRED_COLUMNS, type FocusCharge } from './focus/focus-reader.js';
export {
  importFocusFiles,
  trimDecimal,
  type ImportOptions,
  type ImportSummary,
} from './focus/focus-import.js';
