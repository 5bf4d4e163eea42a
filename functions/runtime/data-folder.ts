// Local mode's data folder: its default name, and the files in it that programs besides the server read
// (the CLI's `events tail`), so both sides name them from one place.

/** The data folder when TESSERA_DATA_DIR is unset, relative to where the server starts. */
export const DEFAULT_DATA_DIR = '.tessera';

/** Local mode's events, one JSON object a line, appended once each change is on disk. */
export const EVENTS_FILE = 'events.jsonl';
