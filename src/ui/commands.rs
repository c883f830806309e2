//! Everything the window can be asked to do without pointing at the map: one list, with
//! each command's words (from the message catalogue) and its keys. The keyboard, the command palette
//! and the sheet of shortcuts all read it, so a command added here has a key or a palette
//! entry (or both) by construction, and the sheet never disagrees with the keys.

use crate::model::{Lang, Msg};
use egui::{Key, Modifiers};

/// A command of the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Command {
    Palette,
    Shortcuts,
    Search,
    Fit,
    ZoomIn,
    ZoomOut,
    Pan,
    WalkLinks,
    Trace,
    Outline,
    Theses,
    Markets,
    Filters,
    EditMode,
    Clear,
    Undo,
    Redo,
    Save,
    TidyUp,
    Language,
    DarkTheme,
    Motion,
    Problems,
    Open,
    OpenFolder,
    NewMap,
    Import,
    SaveAs,
    ExportImage,
    ExportView,
    ExportWebPage,
    CompareWith,
    CompareHead,
    StopComparing,
    AddThesis,
    AddFigure,
    AddNode,
    AddLink,
}

/// One key, with the modifiers it needs (Ctrl stands for Command on a Mac).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Keys {
    pub modifiers: Modifiers,
    pub key: Key,
}

fn plain(key: Key) -> Keys {
    Keys {
        modifiers: Modifiers::NONE,
        key,
    }
}

fn command(key: Key) -> Keys {
    Keys {
        modifiers: Modifiers::COMMAND,
        key,
    }
}

fn command_shift(key: Key) -> Keys {
    Keys {
        modifiers: Modifiers {
            alt: false,
            ctrl: false,
            shift: true,
            mac_cmd: false,
            command: true,
        },
        key,
    }
}

impl Keys {
    /// How the key is written on the sheet and in the palette ("Ctrl+Shift+Z", "?").
    pub fn text(&self) -> String {
        let mut text = String::new();
        if self.modifiers.command || self.modifiers.ctrl {
            text.push_str("Ctrl+");
        }
        if self.modifiers.alt {
            text.push_str("Alt+");
        }
        if self.modifiers.shift {
            text.push_str("Shift+");
        }
        text.push_str(match self.key {
            Key::Questionmark => "?",
            Key::Slash => "/",
            Key::Plus => "+",
            Key::Equals => "=",
            Key::Minus => "−",
            Key::Escape => "Esc",
            Key::ArrowUp => "↑",
            Key::ArrowDown => "↓",
            Key::ArrowLeft => "←",
            Key::ArrowRight => "→",
            other => other.name(),
        });
        text
    }
}

impl Command {
    /// Every command, in the order of the sheet of shortcuts.
    pub const ALL: [Command; 38] = [
        Command::Palette,
        Command::Shortcuts,
        Command::Search,
        Command::Fit,
        Command::ZoomIn,
        Command::ZoomOut,
        Command::Pan,
        Command::WalkLinks,
        Command::Trace,
        Command::Outline,
        Command::Theses,
        Command::Markets,
        Command::Filters,
        Command::EditMode,
        Command::Clear,
        Command::Undo,
        Command::Redo,
        Command::Save,
        Command::TidyUp,
        Command::Language,
        Command::DarkTheme,
        Command::Motion,
        Command::Problems,
        Command::Open,
        Command::OpenFolder,
        Command::NewMap,
        Command::Import,
        Command::SaveAs,
        Command::ExportImage,
        Command::ExportView,
        Command::ExportWebPage,
        Command::CompareWith,
        Command::CompareHead,
        Command::StopComparing,
        Command::AddThesis,
        Command::AddFigure,
        Command::AddNode,
        Command::AddLink,
    ];

    /// What the command does, in a few words.
    pub fn label(self, lang: Lang) -> &'static str {
        self.word().in_lang(lang)
    }

    fn word(self) -> Msg {
        match self {
            Command::Palette => Msg::CommandPalette,
            Command::Shortcuts => Msg::CommandShortcuts,
            Command::Search => Msg::CommandSearch,
            Command::Fit => Msg::CommandFit,
            Command::ZoomIn => Msg::CommandZoomIn,
            Command::ZoomOut => Msg::CommandZoomOut,
            Command::Pan => Msg::CommandPan,
            Command::WalkLinks => Msg::CommandWalkLinks,
            Command::Trace => Msg::CommandTrace,
            Command::Outline => Msg::CommandOutline,
            Command::Theses => Msg::CommandTheses,
            Command::Markets => Msg::CommandMarkets,
            Command::Filters => Msg::CommandFilters,
            Command::EditMode => Msg::CommandEditMode,
            Command::Clear => Msg::CommandClear,
            Command::Undo => Msg::Undo,
            Command::Redo => Msg::Redo,
            Command::Save => Msg::CommandSave,
            Command::TidyUp => Msg::CommandTidyUp,
            Command::Language => Msg::CommandLanguage,
            Command::DarkTheme => Msg::CommandDarkTheme,
            Command::Motion => Msg::CommandMotion,
            Command::Problems => Msg::CommandProblems,
            Command::Open => Msg::CommandOpen,
            Command::OpenFolder => Msg::CommandOpenFolder,
            Command::NewMap => Msg::NewMap,
            Command::Import => Msg::CommandImport,
            Command::SaveAs => Msg::SaveAs,
            Command::ExportImage => Msg::CommandExportImage,
            Command::ExportView => Msg::CommandExportView,
            Command::ExportWebPage => Msg::CommandExportWebPage,
            Command::CompareWith => Msg::CommandCompareWith,
            Command::CompareHead => Msg::CommandCompareHead,
            Command::StopComparing => Msg::StopComparing,
            Command::AddThesis => Msg::CommandAddThesis,
            Command::AddFigure => Msg::CommandAddFigure,
            Command::AddNode => Msg::CommandAddNode,
            Command::AddLink => Msg::CommandAddLink,
        }
    }

    /// The keys that do it; the first is the one shown.
    pub fn keys(self) -> Vec<Keys> {
        use Key::*;
        match self {
            Command::Palette => vec![command(K), command_shift(P)],
            Command::Shortcuts => vec![plain(Questionmark)],
            Command::Search => vec![plain(Slash), command(F)],
            Command::Fit => vec![plain(F)],
            Command::ZoomIn => vec![plain(Plus), plain(Equals)],
            Command::ZoomOut => vec![plain(Minus)],
            Command::Pan => [ArrowLeft, ArrowRight, ArrowUp, ArrowDown]
                .map(plain)
                .to_vec(),
            Command::WalkLinks => vec![plain(ArrowUp), plain(ArrowDown)],
            Command::Trace => vec![plain(T)],
            Command::Outline => vec![plain(O)],
            Command::Theses => vec![plain(L)],
            Command::Markets => vec![plain(M)],
            Command::Filters => vec![plain(I)],
            Command::EditMode => vec![plain(E)],
            Command::Clear => vec![plain(Escape)],
            Command::Undo => vec![command(Z)],
            Command::Redo => vec![command_shift(Z), command(Y)],
            Command::Save => vec![command(S)],
            Command::TidyUp | Command::Language | Command::DarkTheme | Command::Motion => {
                Vec::new()
            }
            Command::Problems => vec![plain(P)],
            Command::Open => vec![command(O)],
            Command::OpenFolder
            | Command::NewMap
            | Command::Import
            | Command::SaveAs
            | Command::ExportImage
            | Command::ExportView
            | Command::ExportWebPage
            | Command::CompareWith
            | Command::CompareHead
            | Command::StopComparing
            | Command::AddThesis
            | Command::AddFigure
            | Command::AddNode
            | Command::AddLink => Vec::new(),
        }
    }

    /// Whether the palette offers it: everything but the keys that only make sense held
    /// (panning, walking links).
    pub fn in_palette(self) -> bool {
        !matches!(self, Command::Pan | Command::WalkLinks)
    }

    /// Whether it shows the operating system's own file dialog (which a test cannot answer).
    pub fn shows_a_system_dialog(self) -> bool {
        matches!(
            self,
            Command::Open
                | Command::OpenFolder
                | Command::SaveAs
                | Command::ExportImage
                | Command::ExportView
                | Command::CompareWith
        )
    }

    /// Whether its keys are the arrows, which the window reads itself (held to pan, or
    /// pressed to walk the selection's links).
    pub fn is_arrows(self) -> bool {
        matches!(self, Command::Pan | Command::WalkLinks)
    }

    /// The keys as the sheet writes them: "/ or Ctrl+F".
    pub fn keys_text(self, lang: Lang) -> String {
        let or = Msg::KeysOr.in_lang(lang);
        self.keys()
            .iter()
            .map(Keys::text)
            .collect::<Vec<_>>()
            .join(or)
    }

    /// The command whose keys were pressed this frame (consumed), if any: those with
    /// Ctrl or Shift first, so that Ctrl+Shift+Z is not read as Ctrl+Z. Arrows are left to
    /// the caller. While a text field has the cursor (`typing`), only Ctrl keys fire, and
    /// not Ctrl+Z and Ctrl+Y, which undo the typing.
    pub fn pressed(input: &mut egui::InputState, typing: bool) -> Option<Command> {
        let mut bound: Vec<(Command, Keys)> = Command::ALL
            .iter()
            .filter(|c| !c.is_arrows())
            .flat_map(|&c| c.keys().into_iter().map(move |k| (c, k)))
            .filter(|(c, k)| {
                !typing || (k.modifiers.command && !matches!(c, Command::Undo | Command::Redo))
            })
            .collect();
        bound.sort_by_key(|(_, k)| std::cmp::Reverse(modifier_count(k.modifiers)));
        bound
            .into_iter()
            .find(|(_, k)| input.consume_key(k.modifiers, k.key))
            .map(|(c, _)| c)
    }
}

fn modifier_count(modifiers: Modifiers) -> u8 {
    u8::from(modifiers.command || modifiers.ctrl)
        + u8::from(modifiers.shift)
        + u8::from(modifiers.alt)
}

/// The sheet of shortcuts: every command with a key, in both columns' language.
pub fn shortcuts_ui(ui: &mut egui::Ui, lang: Lang) {
    egui::Grid::new("shortcuts")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for command in Command::ALL.iter().filter(|c| !c.keys().is_empty()) {
                ui.strong(command.keys_text(lang));
                ui.label(command.label(lang));
                ui.end_row();
            }
        });
    ui.add_space(6.0);
    ui.label(Msg::ShortcutsNote.in_lang(lang));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_command_has_a_key_or_a_palette_entry() {
        for command in Command::ALL {
            assert!(
                !command.keys().is_empty() || command.in_palette(),
                "{command:?} can be reached neither by key nor by the palette"
            );
        }
        let distinct: HashSet<Command> = Command::ALL.into_iter().collect();
        assert_eq!(distinct.len(), Command::ALL.len());
    }

    #[test]
    fn no_two_commands_share_a_key() {
        let mut seen: Vec<(Keys, Command)> = Vec::new();
        for command in Command::ALL.iter().filter(|c| !c.is_arrows()) {
            for keys in command.keys() {
                if let Some((_, other)) = seen.iter().find(|(k, _)| *k == keys) {
                    panic!("{} does both {other:?} and {command:?}", keys.text());
                }
                seen.push((keys, *command));
            }
        }
    }

    #[test]
    fn a_shifted_key_is_not_read_as_its_plain_self() {
        let mut input = egui::InputState::default();
        input.events.push(egui::Event::Key {
            key: Key::Z,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: Modifiers::COMMAND | Modifiers::SHIFT,
        });
        assert_eq!(Command::pressed(&mut input, false), Some(Command::Redo));
        assert!(input.events.is_empty(), "consumed");
    }

    fn press(key: Key, modifiers: Modifiers, typing: bool) -> Option<Command> {
        let mut input = egui::InputState::default();
        input.events.push(egui::Event::Key {
            key,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers,
        });
        Command::pressed(&mut input, typing)
    }

    #[test]
    fn while_typing_only_ctrl_keys_fire_and_not_the_text_fields_undo() {
        assert_eq!(press(Key::F, Modifiers::NONE, false), Some(Command::Fit));
        assert_eq!(press(Key::F, Modifiers::NONE, true), None);
        assert_eq!(press(Key::Slash, Modifiers::NONE, true), None);
        assert_eq!(press(Key::S, Modifiers::COMMAND, true), Some(Command::Save));
        assert_eq!(
            press(Key::K, Modifiers::COMMAND, true),
            Some(Command::Palette)
        );
        assert_eq!(press(Key::Z, Modifiers::COMMAND, true), None);
        assert_eq!(
            press(Key::Z, Modifiers::COMMAND, false),
            Some(Command::Undo)
        );
        // Ctrl+F is Search, not Fit.
        assert_eq!(
            press(Key::F, Modifiers::COMMAND, false),
            Some(Command::Search)
        );
    }

    #[test]
    fn keys_are_written_as_people_read_them() {
        assert_eq!(Command::Redo.keys_text(Lang::En), "Ctrl+Shift+Z or Ctrl+Y");
        assert_eq!(Command::Search.keys_text(Lang::Zh), "/ 或 Ctrl+F");
        assert_eq!(Command::Shortcuts.keys_text(Lang::En), "?");
    }
}
