//! Writers for what users see: the datagram table, jsonl and csv records, the summary, and the
//! escaping of untrusted bytes.

pub mod escape;
pub mod follow;
pub mod html;
pub mod records;
pub mod summary;
pub mod table;
