//! The reading thread's work: records → dissection → reassembly → events.
//!
//! Every record becomes at least one event, in capture order, so that the writer counts frames
//! exactly; a UDP datagram that is shown counts its own frame (one event for the common case).
//! IP fragments go to the bounded [`Reassembler`] (of one of many inputs merged, to the merge's,
//! as [`Event::Fragment`]s: [`super::merge`]); a datagram they complete is reported at the frame
//! of its last fragment. TCP and ICMP frames are looked at again for what they tell by contrast
//! ([`crate::dissect::contrast`]).

use super::pipeline::{Batch, Event, Outbox};
use super::prepare::Prepare;
use super::source::Source;
use crate::analyze::Facts;
use crate::capture::{Frame, Record};
use crate::dissect::{Dissection, Reassembler, Skip, Whole, dissect, fragment};

/// Reads `source` to its end (or its first error, or until the writer is gone, or `limit`
/// datagrams were kept), sending events through `outbox`. A source that streams has what was read
/// sent before each wait.
pub fn read<S: Source>(
    mut source: S,
    mut prepare: Prepare<'_>,
    limit: Option<u64>,
    mut outbox: Outbox<'_>,
) {
    let mut reassembler = Reassembler::default();
    let streams = source.streams();
    let mut left = limit.unwrap_or(u64::MAX);
    // One of many inputs merged: its fragments are reassembled by the merge, in merged order
    // (a rotated set may cut a datagram's fragments between two files).
    let merged = outbox.merged();
    while let Some(next) = source.next_record() {
        let batch = &mut outbox.batch;
        match next {
            Ok(Record::Frame(frame)) => {
                let whole;
                let mut dissection = dissect(frame.link, &frame.data);
                // A datagram that is shown counts its own frame; any other record is counted by
                // a frame event first.
                let plain = matches!(&dissection, Dissection::Udp(u) if prepare.keeps(u));
                if !plain {
                    batch.events.push(Event::Frame(frame.time));
                }
                let reassembled = dissection == Dissection::Skipped(Skip::Fragment);
                if reassembled {
                    whole = if merged {
                        let start = offset(&batch.arena);
                        batch.arena.extend_from_slice(&frame.link.to_le_bytes());
                        batch.arena.extend_from_slice(&frame.orig_len.to_le_bytes());
                        batch.arena.extend_from_slice(&frame.data);
                        batch.events.push(Event::Fragment {
                            frame: frame.number,
                            time: frame.time,
                            bytes: start..offset(&batch.arena),
                        });
                        None
                    } else {
                        reassemble(&frame, &mut reassembler, &mut batch.events)
                    };
                    match &whole {
                        Some(w) => dissection = w.dissect(),
                        // Nothing completed yet; the batch limit holds on this path too.
                        None if outbox.full() && !outbox.send() => return,
                        None => continue,
                    }
                }
                left -= push_dissection::<S>(
                    dissection,
                    &frame,
                    frame.number,
                    (plain, reassembled),
                    &mut prepare,
                    batch,
                );
            }
            Ok(Record::NotAPacket { what, .. }) => {
                batch.events.push(Event::Frame(None));
                batch.events.push(Event::Skipped(Skip::NotAPacket(what), 1));
            }
            Ok(Record::Unreadable { number, why }) => {
                batch.events.push(Event::Frame(None));
                batch.events.push(Event::Unreadable { number, why });
            }
            Err(e) => {
                end(&source, &mut reassembler, &mut outbox.batch.events);
                outbox.fail(e);
                return;
            }
        }
        if outbox.full() && !outbox.send() {
            return;
        }
        if left == 0 {
            break;
        }
        // Before waiting for the next record, what was read goes (a fragment that completed
        // nothing `continue`s past this: it makes no line).
        if streams && !outbox.is_empty() && !source.ready() && !outbox.send() {
            return;
        }
    }
    end(&source, &mut reassembler, &mut outbox.batch.events);
    outbox.send();
}

/// Frames the reassembler counted (fragments, given-up datagrams), as events.
pub(super) fn counts(reassembler: &mut Reassembler, events: &mut Vec<Event>) {
    for (kind, n) in reassembler.take_counts() {
        events.push(Event::Skipped(kind, n));
    }
}

/// The last events: what the reassembler still held, and the source's notes.
fn end<S: Source>(source: &S, reassembler: &mut Reassembler, events: &mut Vec<Event>) {
    reassembler.finish();
    counts(reassembler, events);
    events.extend(source.notes().into_iter().map(Event::Note));
    events.extend(source.closing().map(Event::Closing));
}

/// The arena's length as an offset (batches end at about a megabyte: it fits in a u32).
fn offset(arena: &[u8]) -> u32 {
    u32::try_from(arena.len()).unwrap_or(u32::MAX)
}

/// Gives `frame`, an IP fragment, to `reassembler`, its counts pushed to `events`: the datagram
/// it completes, if any.
pub(super) fn reassemble(
    frame: &Frame<'_>,
    reassembler: &mut Reassembler,
    events: &mut Vec<Event>,
) -> Option<Whole> {
    let whole = fragment(frame.link, &frame.data).and_then(|f| reassembler.add(frame.time, &f));
    counts(reassembler, events);
    whole
}

/// The events of `dissection`: of `frame`'s, or (`reassembled`) of the datagram whose last
/// fragment `frame` is, sent as frame `id`. `plain`: a datagram the filters keep, that counts its
/// own frame. Returns how many datagrams were kept (0 or 1).
///
/// (`C`, its caller, is there for a copy of its own per caller, each then inlined into its only
/// caller: the reading loop and the merge's reassembly. One copy for both was called out of the
/// reading loop, 5 % more time for a rotated set; `#[inline(always)]` pushed the loop's other
/// calls out of it, 25 %.)
#[allow(clippy::extra_unused_type_parameters)]
pub(super) fn push_dissection<C: ?Sized>(
    dissection: Dissection<'_>,
    frame: &Frame<'_>,
    id: u64,
    (plain, reassembled): (bool, bool),
    prepare: &mut Prepare<'_>,
    batch: &mut Batch,
) -> u64 {
    match dissection {
        // (`plain` already says so for a datagram that was not reassembled.)
        Dissection::Udp(udp) if !(plain || prepare.keeps(&udp)) => {
            batch.events.push(Event::FilteredOut {
                frame: id,
                time: frame.time,
                facts: Facts::of(&udp).at_frame_of(frame.orig_len),
            });
            0
        }
        Dissection::Udp(udp) => {
            let (payload, text, text_width) = prepare.datagram(
                &mut batch.arena,
                frame.number,
                frame.time,
                &udp,
                reassembled,
            );
            batch.events.push(Event::Udp {
                new_frame: plain,
                frame: id,
                time: frame.time,
                facts: Facts::of(&udp).at_frame_of(frame.orig_len),
                payload,
                text,
                text_width,
                reassembled,
            });
            1
        }
        Dissection::Skipped(kind) => {
            batch.events.push(Event::Skipped(kind, 1));
            if matches!(kind, Skip::Tcp | Skip::Icmp | Skip::Icmpv6)
                && let Some(what) = crate::dissect::contrast::classify(frame.link, &frame.data)
            {
                batch.events.push(Event::Contrast {
                    frame: id,
                    time: frame.time,
                    what,
                });
            }
            0
        }
        Dissection::Malformed(why) => {
            batch.events.push(Event::Malformed {
                frame: id,
                time: frame.time,
                why,
            });
            0
        }
    }
}
