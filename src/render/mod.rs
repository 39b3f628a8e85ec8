//! Writers for what users see: the table, jsonl and csv, and the escaping of untrusted bytes.

pub mod escape;
