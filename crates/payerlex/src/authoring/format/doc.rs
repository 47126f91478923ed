//! A small Wadler-style document printer: groups that print flat when they fit in the line
//! width and break every line of theirs otherwise.
//!
//! Hand-written rather than taken from the `pretty` crate for two things policy layout needs
//! and that crate does not do directly: line breaks that *hang* to the left of the current
//! indentation (so that `and` and `or` sit left of the operands they join, which stay
//! aligned), and line breaks that collapse when the printer is already at the start of a line
//! (so that a comment, which must end its line, can be followed by any other break without
//! leaving an empty line or trailing spaces). Everything else is the textbook algorithm: a
//! stack of commands, and a `fits` test that measures a group flat up to the next possible
//! break after it.

/// A document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Doc {
    /// Text without line breaks.
    Text(String),
    /// A space that never breaks (dropped at the start of a line).
    Space,
    /// A line break: a space when its group is flat, else a newline indented `dedent`
    /// columns left of the current indentation. `hard` breaks always (and so forces every
    /// group around it to break).
    Line {
        /// Columns left of the current indentation.
        dedent: usize,
        /// Breaks even in a flat group.
        hard: bool,
    },
    /// A blank line (collapses with the line breaks around it into exactly one).
    Blank,
    /// Printed flat if it fits, else with its own lines broken.
    Group(Vec<Doc>),
    /// Indentation `n` columns deeper.
    Nest(usize, Vec<Doc>),
    /// Indentation at the current column.
    Align(Vec<Doc>),
}

impl Doc {
    /// Text.
    pub fn text(text: impl Into<String>) -> Doc {
        Doc::Text(text.into())
    }

    /// A breakable space.
    pub fn line() -> Doc {
        Doc::Line {
            dedent: 0,
            hard: false,
        }
    }

    /// A breakable space that hangs `dedent` columns left when broken.
    pub fn hang(dedent: usize) -> Doc {
        Doc::Line {
            dedent,
            hard: false,
        }
    }

    /// A newline.
    pub fn hard() -> Doc {
        Doc::Line {
            dedent: 0,
            hard: true,
        }
    }

    /// A newline hanging `dedent` columns left.
    pub fn hard_hang(dedent: usize) -> Doc {
        Doc::Line { dedent, hard: true }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Flat,
    Break,
}

struct Printer {
    out: String,
    /// Column of the next character, counting a pending indentation or space.
    column: usize,
    at_line_start: bool,
    pending_indent: usize,
    pending_space: bool,
}

impl Printer {
    fn next_column(&self) -> usize {
        if self.at_line_start {
            self.pending_indent
        } else {
            self.column + usize::from(self.pending_space)
        }
    }

    fn text(&mut self, text: &str) {
        if self.at_line_start {
            self.out.push_str(&" ".repeat(self.pending_indent));
            self.column = self.pending_indent;
            self.at_line_start = false;
        } else if self.pending_space {
            self.out.push(' ');
            self.column += 1;
        }
        self.pending_space = false;
        self.out.push_str(text);
        self.column += text.chars().count();
    }

    fn space(&mut self) {
        if !self.at_line_start {
            self.pending_space = true;
        }
    }

    fn newline(&mut self, indent: usize) {
        if !self.at_line_start && !self.out.is_empty() {
            self.out.push('\n');
        }
        self.at_line_start = true;
        self.pending_space = false;
        self.pending_indent = indent;
    }

    fn blank(&mut self, indent: usize) {
        self.newline(indent);
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }
}

/// Prints `doc` within `width` columns (a line longer than that only when one token is).
pub(super) fn print(doc: &Doc, width: usize) -> String {
    let mut printer = Printer {
        out: String::new(),
        column: 0,
        at_line_start: true,
        pending_indent: 0,
        pending_space: false,
    };
    let mut stack: Vec<(usize, Mode, &Doc)> = vec![(0, Mode::Break, doc)];
    while let Some((indent, mode, doc)) = stack.pop() {
        match doc {
            Doc::Text(text) => printer.text(text),
            Doc::Space => printer.space(),
            Doc::Line { dedent, hard } => {
                if *hard || mode == Mode::Break {
                    printer.newline(indent.saturating_sub(*dedent));
                } else {
                    printer.space();
                }
            }
            Doc::Blank => printer.blank(indent),
            Doc::Group(parts) => {
                let room = width.saturating_sub(printer.next_column());
                let group_mode = if mode == Mode::Flat || fits(room, doc, &stack) {
                    Mode::Flat
                } else {
                    Mode::Break
                };
                stack.extend(parts.iter().rev().map(|p| (indent, group_mode, p)));
            }
            Doc::Nest(n, parts) => {
                stack.extend(parts.iter().rev().map(|p| (indent + n, mode, p)));
            }
            Doc::Align(parts) => {
                let column = printer.next_column();
                stack.extend(parts.iter().rev().map(|p| (column, mode, p)));
            }
        }
    }
    printer.out
}

/// Whether `group`, printed flat, and what follows it up to the next line break fit in
/// `room` columns. A hard break inside the group never fits.
fn fits(room: usize, group: &Doc, rest: &[(usize, Mode, &Doc)]) -> bool {
    let mut room = room as isize;
    // (inside the group, mode, doc)
    let mut pending: Vec<(bool, Mode, &Doc)> = vec![(true, Mode::Flat, group)];
    let mut rest = rest.iter().rev();
    loop {
        let (inside, mode, doc) = match pending.pop() {
            Some(next) => next,
            None => match rest.next() {
                Some(&(_, mode, doc)) => (false, mode, doc),
                None => return true,
            },
        };
        match doc {
            Doc::Text(text) => room -= text.chars().count() as isize,
            Doc::Space => room -= 1,
            Doc::Line { hard, .. } => {
                if inside && *hard {
                    return false;
                }
                if !inside && (*hard || mode == Mode::Break) {
                    return true;
                }
                room -= 1;
            }
            Doc::Blank => return !inside,
            Doc::Group(parts) | Doc::Nest(_, parts) | Doc::Align(parts) => {
                pending.extend(parts.iter().rev().map(|p| (inside, mode, p)));
            }
        }
        if room < 0 {
            return false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(words: &[&str], sep: fn() -> Doc) -> Vec<Doc> {
        let mut out = Vec::new();
        for (i, w) in words.iter().enumerate() {
            if i > 0 {
                out.push(sep());
            }
            out.push(Doc::text(*w));
        }
        out
    }

    #[test]
    fn a_group_that_fits_stays_flat() {
        let doc = Doc::Group(words(&["a", "b", "c"], Doc::line));
        assert_eq!(print(&doc, 10), "a b c");
    }

    #[test]
    fn a_group_that_does_not_fit_breaks_every_line() {
        let doc = Doc::Nest(
            2,
            vec![Doc::Group(words(&["aaaa", "bbbb", "cccc"], Doc::line))],
        );
        assert_eq!(print(&doc, 10), "aaaa\n  bbbb\n  cccc");
    }

    #[test]
    fn hanging_breaks_sit_left_of_the_aligned_column() {
        let doc = Doc::Group(vec![
            Doc::text("when "),
            Doc::Align(vec![Doc::Group(vec![
                Doc::text("first"),
                Doc::hang(4),
                Doc::text("and second"),
            ])]),
        ]);
        assert_eq!(print(&doc, 12), "when first\n and second");
    }

    #[test]
    fn a_hard_break_forces_the_group_and_collapses_with_the_next_break() {
        let doc = Doc::Group(vec![
            Doc::text("a  # note"),
            Doc::hard(),
            Doc::line(),
            Doc::text("b"),
        ]);
        assert_eq!(print(&doc, 80), "a  # note\nb");
    }

    #[test]
    fn blank_lines_collapse_and_no_trailing_spaces() {
        let doc = Doc::Group(vec![
            Doc::text("a"),
            Doc::Space,
            Doc::hard(),
            Doc::Blank,
            Doc::Blank,
            Doc::text("b"),
        ]);
        assert_eq!(print(&doc, 80), "a\n\nb");
    }
}
