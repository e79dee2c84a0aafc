//! What is worth telling the user about an option: assumptions, caps, figures we do not have.
//! Kept as data — a few flags and numbers, no heap — because the plan builds tens of thousands
//! of options and words only the few a page shows.

use std::borrow::Cow;

use serde::ser::{Serialize, SerializeSeq, Serializer};

use crate::limit::Limit;

/// One note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Note {
    /// The engine decodes at most this many sequences at once by default.
    EngineBatchCap(u32),
    /// KV memory holds only this many sequences of this many tokens.
    KvLimited {
        sequences: u32,
        tokens: u32,
    },
    DoesNotFit,
    NoTflops,
    TensorParallelLatency,
    LayerSplit,
    Upcast,
    /// No catalog offer rents this many of these GPUs in one instance.
    NoCloudOffer,
    /// No sourced purchase price: no local cost.
    NoPurchasePrice,
    /// Fits, but cannot meet the targets, for this reason.
    CannotMeet(Limit),
}

impl Note {
    pub fn text(&self) -> Cow<'static, str> {
        match *self {
            Note::EngineBatchCap(cap) => format!(
                "the engine decodes at most {cap} sequences at once by default; the rest wait"
            )
            .into(),
            Note::KvLimited { sequences, tokens } => {
                format!("KV memory holds {sequences} sequences of {tokens} tokens; the rest wait")
                    .into()
            }
            // The figures are in the memory breakdown beside the note.
            Note::DoesNotFit => "does not fit: weights, KV cache and runtime overhead exceed the usable memory".into(),
            Note::NoTflops => "no sourced TFLOPS figure for this GPU: prefill, TTFT and compute bounds are not estimated".into(),
            Note::TensorParallelLatency => "tensor parallel: includes two all-reduces a layer with an assumed 8 µs link latency".into(),
            Note::LayerSplit => "layer split: memory adds up, but the GPUs work in turn, so one stream is no faster than on one GPU".into(),
            Note::Upcast => "an upcast of a lower-precision release: more memory, no quality gain".into(),
            Note::NoCloudOffer => "no cloud offer in the catalog rents this many of these GPUs in one instance".into(),
            Note::NoPurchasePrice => "no sourced purchase price for this GPU: no local cost".into(),
            Note::CannotMeet(limit) => limit.cannot_meet().into(),
        }
    }
}

// One bit per kind of note, in the order they are shown.
const ENGINE_BATCH_CAP: u16 = 1;
const KV_LIMITED: u16 = 1 << 1;
const DOES_NOT_FIT: u16 = 1 << 2;
const NO_TFLOPS: u16 = 1 << 3;
const TENSOR_PARALLEL: u16 = 1 << 4;
const LAYER_SPLIT: u16 = 1 << 5;
const UPCAST: u16 = 1 << 6;
const NO_CLOUD: u16 = 1 << 7;
const NO_PRICE: u16 = 1 << 8;
const CANNOT_MEET: u16 = 1 << 9;

/// A set of notes, at most one of each kind (a later one of a kind replaces the earlier).
/// Serializes as the list of their texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notes {
    flags: u16,
    batch_cap: u32,
    kv_sequences: u32,
    kv_tokens: u32,
    limit: Limit,
}

impl Default for Notes {
    fn default() -> Self {
        Notes {
            flags: 0,
            batch_cap: 0,
            kv_sequences: 0,
            kv_tokens: 0,
            limit: Limit::Demand,
        }
    }
}

impl Notes {
    pub fn push(&mut self, note: Note) {
        self.flags |= match note {
            Note::EngineBatchCap(cap) => {
                self.batch_cap = cap;
                ENGINE_BATCH_CAP
            }
            Note::KvLimited { sequences, tokens } => {
                self.kv_sequences = sequences;
                self.kv_tokens = tokens;
                KV_LIMITED
            }
            Note::DoesNotFit => DOES_NOT_FIT,
            Note::NoTflops => NO_TFLOPS,
            Note::TensorParallelLatency => TENSOR_PARALLEL,
            Note::LayerSplit => LAYER_SPLIT,
            Note::Upcast => UPCAST,
            Note::NoCloudOffer => NO_CLOUD,
            Note::NoPurchasePrice => NO_PRICE,
            Note::CannotMeet(limit) => {
                self.limit = limit;
                CANNOT_MEET
            }
        };
    }

    pub fn is_empty(&self) -> bool {
        self.flags == 0
    }

    pub fn len(&self) -> usize {
        self.flags.count_ones() as usize
    }

    pub fn iter(&self) -> impl Iterator<Item = Note> + '_ {
        let all = [
            (ENGINE_BATCH_CAP, Note::EngineBatchCap(self.batch_cap)),
            (
                KV_LIMITED,
                Note::KvLimited {
                    sequences: self.kv_sequences,
                    tokens: self.kv_tokens,
                },
            ),
            (DOES_NOT_FIT, Note::DoesNotFit),
            (NO_TFLOPS, Note::NoTflops),
            (TENSOR_PARALLEL, Note::TensorParallelLatency),
            (LAYER_SPLIT, Note::LayerSplit),
            (UPCAST, Note::Upcast),
            (NO_CLOUD, Note::NoCloudOffer),
            (NO_PRICE, Note::NoPurchasePrice),
            (CANNOT_MEET, Note::CannotMeet(self.limit)),
        ];
        all.into_iter()
            .filter(move |(bit, _)| self.flags & bit != 0)
            .map(|(_, n)| n)
    }

    /// The notes in words, in display order.
    pub fn texts(&self) -> impl Iterator<Item = Cow<'static, str>> + '_ {
        self.iter().map(|n| n.text())
    }
}

impl Serialize for Notes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for t in self.texts() {
            seq.serialize_element(&t)?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_one_of_each_kind_in_display_order_and_serializes_as_texts() {
        let mut n = Notes::default();
        assert!(n.is_empty());
        n.push(Note::NoPurchasePrice);
        n.push(Note::EngineBatchCap(128));
        n.push(Note::EngineBatchCap(256));
        assert_eq!(n.len(), 2);
        let v: Vec<Note> = n.iter().collect();
        assert_eq!(v, vec![Note::EngineBatchCap(256), Note::NoPurchasePrice]);
        let json = serde_json::to_string(&n).unwrap();
        assert!(json.starts_with("[\"the engine decodes at most 256 sequences"));
        assert!(json.contains("no sourced purchase price"));
        n.push(Note::CannotMeet(Limit::Speed));
        assert!(n.texts().any(|t| t.contains("per-user speed target")));
    }
}
