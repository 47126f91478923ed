//! `payerlex check --jobs N`: the check loop over N threads, with the output of one.
//!
//! A claim's decision reads only the history of its own payer and patient (the claims of that
//! patient earlier in the input). So the calling thread sends each claim to the thread its
//! (payer, patient) hashes to, each thread keeps the history of its own patients and decides
//! them in input order, and the calling thread writes the results back in input order. Every
//! claim sees the same history as in a one-thread run, so the records are the same, byte for
//! byte, but for `decided_at`.
//!
//! A reader thread reads items and hands each claim to its thread; the calling thread writes
//! (stdout's lock is not `Send`), each record as soon as every record before it is decided,
//! so a host feeding claims one at a time still gets each decision before sending the next.
//! Reading a regular file, claims go to their thread in batches (`RunSettings::batch`), and
//! a thread reports a batch's decisions in one message: one hand-off per batch, not per claim.
//! With JSON output the deciding threads also serialise their decisions, so the writing
//! thread only writes bytes (serialising was a fifth of a claim's cost, all on one thread).
//! A batch leaves the reader when it is full, before the reader would wait for room in the
//! window below, and at the end of the input, so every claim read is eventually decided.
//! At most [`IN_FLIGHT_PER_JOB`] items per thread are between reading and writing, so memory
//! stays bounded whatever the input's size. When writing fails the run stops at once, but the
//! reader thread ends only when its current read returns (at once for a file; stdin waits for
//! its next line or its end).

use std::collections::VecDeque;
use std::hash::{Hash, Hasher};
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::thread;

use payerlex::{Engine, InMemoryHistory};

use super::pipeline::{
    process, DecisionLog, Done, Emitter, Item, RunSettings, Sink, StopCause, Stopped, Summary,
};

/// Items read but not yet written, per thread: bounds memory and how far reading runs ahead.
pub const IN_FLIGHT_PER_JOB: usize = 128;

/// Items waiting in one thread's queue.
const QUEUE_PER_JOB: usize = 32;

/// Items for one deciding thread, with their sequence numbers.
type Batch = Vec<(usize, Item)>;

/// What the calling thread hears from the reader and the deciding threads.
enum Message {
    /// Items decided, in their thread's order (the last may be the panic that stopped its
    /// thread, raised again on the calling thread as a one-thread run would).
    Finished(Vec<(usize, thread::Result<Done>)>),
    /// The reader is done: it read this many items, then reached the end or failed.
    End(usize, Option<io::Error>),
}

/// Decides every item over `settings.jobs` threads; same records and summary as the
/// one-thread loop.
pub fn decide(
    engine: &Engine,
    items: impl Iterator<Item = io::Result<Item>> + Send,
    sink: &mut dyn Sink,
    settings: RunSettings,
    log: Option<&mut DecisionLog>,
) -> Result<Summary, Stopped> {
    let jobs = settings.jobs.max(1);
    let window = IN_FLIGHT_PER_JOB * jobs;
    // JSON output is serialised on the deciding threads: the writing thread only writes.
    let json_lines = sink.takes_json_lines();
    let mut run = Emitter::new(sink, settings, log);
    let logs = run.logs();
    thread::scope(|scope| {
        let (message_tx, message_rx) = mpsc::channel::<Message>();
        let mut queues = Vec::with_capacity(jobs);
        for _ in 0..jobs {
            let (queue_tx, queue_rx) = mpsc::sync_channel::<Batch>(QUEUE_PER_JOB);
            let message_tx = message_tx.clone();
            scope.spawn(move || {
                // Each thread holds its share of the history cap, so N threads keep the
                // memory bound of one.
                let total = engine.limits().history_lines_total.div_ceil(jobs);
                let mut history = InMemoryHistory::for_engine(engine).with_max_lines_total(total);
                for batch in queue_rx {
                    let mut finished = Vec::with_capacity(batch.len());
                    let mut stop = false;
                    for (sequence, item) in batch {
                        let done = panic::catch_unwind(AssertUnwindSafe(|| {
                            process(
                                engine,
                                &mut history,
                                item,
                                settings.options,
                                logs,
                                json_lines,
                            )
                        }));
                        stop = done.is_err();
                        finished.push((sequence, done));
                        if stop {
                            break;
                        }
                    }
                    if message_tx.send(Message::Finished(finished)).is_err() || stop {
                        break;
                    }
                }
            });
            queues.push(queue_tx);
        }
        // One ticket per item between reading and writing: the reader takes one before it
        // reads, the writer gives them back (a count per message) as items are written.
        // Every message carries at least one ticket, so sends never block.
        let (ticket_tx, ticket_rx) = mpsc::sync_channel::<usize>(window);
        let _ = ticket_tx.send(window);
        let batch = settings.batch.clamp(1, IN_FLIGHT_PER_JOB);
        scope.spawn(move || read(items, &queues, batch, &ticket_rx, &message_tx));
        let mut order = InOrder::default();
        let mut end = None;
        loop {
            if let Some((read, _)) = &end {
                if order.written == *read {
                    break;
                }
            }
            match message_rx.recv() {
                Ok(Message::Finished(finished)) => {
                    for (sequence, done) in finished {
                        order.finished(sequence, done);
                    }
                }
                Ok(Message::End(read, failure)) => end = Some((read, failure)),
                Err(_) => return Err(run.stop(StopCause::Output(worker_gone()))),
            }
            let before = order.written;
            order.write_ready(&mut run)?;
            if order.written > before {
                let _ = ticket_tx.send(order.written - before);
            }
        }
        match end {
            Some((_, Some(e))) => Err(run.stop(StopCause::Input(e))),
            _ => Ok(run.summary),
        }
    })
}

/// The reader thread: numbers items, sends claims to the thread of their patient (`batch` at
/// a time) and error records straight to the writer, and says where the input ended.
fn read(
    mut items: impl Iterator<Item = io::Result<Item>>,
    queues: &[mpsc::SyncSender<Batch>],
    batch: usize,
    tickets: &mpsc::Receiver<usize>,
    messages: &mpsc::Sender<Message>,
) {
    let mut sequence = 0;
    let mut failure = None;
    let mut available = 0usize;
    let mut pending: Vec<Batch> = queues.iter().map(|_| Vec::new()).collect();
    loop {
        if available == 0 {
            // The writer may be waiting for a claim held here: send every batch before
            // waiting for room.
            if !send_all(&mut pending, queues) {
                return;
            }
            match tickets.recv() {
                Ok(more) => available = more,
                Err(_) => break,
            }
        }
        available = available.saturating_sub(1);
        let item = match items.next() {
            None => break,
            Some(Err(e)) => {
                failure = Some(e);
                break;
            }
            Some(Ok(item)) => item,
        };
        let sent = match item {
            Item::Claim { ref claim, .. } => {
                let job = partition(&claim.payer, &claim.patient, queues.len());
                match pending.get_mut(job) {
                    Some(held) => {
                        held.push((sequence, item));
                        held.len() < batch || send(held, queues.get(job))
                    }
                    None => false,
                }
            }
            Item::Rejected(rejection) => messages
                .send(Message::Finished(vec![(
                    sequence,
                    Ok(Done::Rejected(rejection)),
                )]))
                .is_ok(),
        };
        if !sent {
            return;
        }
        sequence += 1;
    }
    if send_all(&mut pending, queues) {
        let _ = messages.send(Message::End(sequence, failure));
    }
}

/// Sends the batch `held` (when not empty) to `queue`; false when the thread is gone.
fn send(held: &mut Batch, queue: Option<&mpsc::SyncSender<Batch>>) -> bool {
    if held.is_empty() {
        return true;
    }
    queue.is_some_and(|queue| queue.send(std::mem::take(held)).is_ok())
}

/// Sends every batch held; false when a thread is gone.
fn send_all(pending: &mut [Batch], queues: &[mpsc::SyncSender<Batch>]) -> bool {
    pending
        .iter_mut()
        .zip(queues)
        .all(|(held, queue)| send(held, Some(queue)))
}

/// The thread of a payer's patient: a fixed hash, so a run is reproducible.
fn partition(payer: &str, patient: &str, jobs: usize) -> usize {
    // Fixed keys (`DefaultHasher::new`), not a per-process random state.
    let mut hasher = std::hash::DefaultHasher::new();
    payer.hash(&mut hasher);
    patient.hash(&mut hasher);
    usize::try_from(hasher.finish() % jobs as u64).unwrap_or(0)
}

/// A deciding thread stopped (it only does when it panicked, which is raised instead).
fn worker_gone() -> io::Error {
    io::Error::other("a deciding thread stopped")
}

/// Finished items waiting for the items before them.
#[derive(Default)]
struct InOrder {
    /// Items written (the sequence number of `waiting[0]`).
    written: usize,
    waiting: VecDeque<Option<Done>>,
}

impl InOrder {
    fn finished(&mut self, sequence: usize, done: thread::Result<Done>) {
        match done {
            Ok(done) => self.put(sequence, done),
            Err(payload) => panic::resume_unwind(payload),
        }
    }

    fn put(&mut self, sequence: usize, done: Done) {
        let at = sequence.saturating_sub(self.written);
        if self.waiting.len() <= at {
            self.waiting.resize_with(at + 1, || None);
        }
        if let Some(slot) = self.waiting.get_mut(at) {
            *slot = Some(done);
        }
    }

    fn write_ready(&mut self, run: &mut Emitter<'_, '_>) -> Result<(), Stopped> {
        while let Some(Some(_)) = self.waiting.front() {
            if let Some(Some(done)) = self.waiting.pop_front() {
                self.written += 1;
                run.emit(done)?;
            }
        }
        Ok(())
    }
}
