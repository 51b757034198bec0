/**
 * Layout of a record batch (the payload of one data-plane frame):
 *
 * ```
 * u8     version (RECORD_BATCH_VERSION)
 * u32 LE number of records
 * ...    the records, each one value in the tsflink value encoding; the whole
 *        batch is one shape scope, so repeated object shapes cost one varuint
 * ```
 */

/** Version byte at the start of every record batch. */
export const RECORD_BATCH_VERSION = 1;
/** Bytes before the first record. */
export const RECORD_BATCH_HEADER_BYTES = 5;
