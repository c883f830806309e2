//! The edit forms of the inspector: every field of a thesis, a figure, a node or a link,
//! each with its own widget. A form edits a working copy of the entity; it says when a
//! change is complete (a text field left, a choice made, a slider moved) and the app
//! turns that into an edit, checked before it is made. Field labels are the names the
//! files use, so that what an editor learns here holds in a text editor too.

use super::ViewState;
use crate::model::{
    CONVICTION_RANGE, Entity, EntityKind, EntityType, Evidence, Figure, Id, IsoDate, Lang, Link,
    LinkKind, Map, Msg, Named, Node, NodeKind, Qualifier, Stance, Thesis, ThesisStatus, Verdict,
    Worded,
};
use egui::RichText;

/// The kinds the window has a form for; the others are edited in their files (or with
/// `chainmap set`), and the form says so.
pub const EDITED_KINDS: [EntityKind; 4] = [
    EntityKind::Thesis,
    EntityKind::Figure,
    EntityKind::Node,
    EntityKind::Link,
];

/// The fields of an edited kind that its form has no widget for, on purpose. Every other
/// field the files give the kind has a widget: a test walks each kind's fields (as the
/// files name them) against the form, so that a new field is not silently uneditable.
pub const READ_ONLY_FIELDS: &[(EntityKind, &[&str])] = &[
    // A path to an image inside the map's folder: put there with the file, in the file.
    (EntityKind::Node, &["logo"]),
];

/// A form field that the next click on a map node fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PickField {
    /// A thesis's subjects (`about`).
    About,
    /// A figure's subject.
    Subject,
    LinkFrom,
    LinkTo,
}

impl PickField {
    /// What to do, shown over the map while the pick waits.
    pub fn hint(self, lang: Lang) -> &'static str {
        let hint = match self {
            PickField::About => Msg::PickAbout,
            PickField::Subject => Msg::PickSubject,
            PickField::LinkFrom => Msg::PickLinkFrom,
            PickField::LinkTo => Msg::PickLinkTo,
        };
        hint.in_lang(lang)
    }

    /// Fills this field of `entity` with the picked node's id.
    pub fn fill(self, entity: &mut Entity, node: &str) {
        match (self, entity) {
            (PickField::About, Entity::Thesis(thesis))
                if !thesis.about.iter().any(|a| a == node) =>
            {
                thesis.about.push(node.to_owned());
            }
            (PickField::Subject, Entity::Figure(figure)) => figure.subject = node.to_owned(),
            (PickField::LinkFrom, Entity::Link(link)) => link.from = node.to_owned(),
            (PickField::LinkTo, Entity::Link(link)) => link.to = node.to_owned(),
            _ => {}
        }
    }

    /// The field's name in the file, for the edit's label.
    pub fn field(self) -> &'static str {
        match self {
            PickField::About => "about",
            PickField::Subject => "subject",
            PickField::LinkFrom => "from",
            PickField::LinkTo => "to",
        }
    }
}

/// A change the form considers complete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Commit {
    pub field: &'static str,
    /// Whether it continues a gesture (a drag) that should stay one undo step.
    pub merge: bool,
}

/// What the form asks of the app this frame.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FormResponse {
    /// The checker's errors about one field, shown under that field's widget (and
    /// whether they were).
    field_errors: Vec<(&'static str, String, bool)>,
    pub commit: Option<Commit>,
    pub pick: Option<PickField>,
    pub delete: bool,
    /// Add the new entity to the map.
    pub add: bool,
    /// Close the form, dropping a refused or unfinished change.
    pub close: bool,
}

impl FormResponse {
    fn commit(&mut self, field: &'static str) {
        self.commit = Some(Commit {
            field,
            merge: false,
        });
    }

    fn merge(&mut self, field: &'static str) {
        self.commit = Some(Commit { field, merge: true });
    }
}

/// The whole form for `entity`. `is_new` shows Add instead of Delete; `verdict` is what
/// the checker says of the working copy.
pub fn form_ui(
    ui: &mut egui::Ui,
    entity: &mut Entity,
    map: &Map,
    choices: &FormChoices,
    state: &ViewState,
    verdict: &Verdict,
    is_new: bool,
) -> FormResponse {
    let mut response = FormResponse::default();
    let lang = state.lang;
    ui.horizontal(|ui| {
        let kind = entity.kind().word().in_lang(lang);
        let heading = if is_new {
            Msg::new_entity(lang, kind)
        } else {
            Msg::edit_entity(lang, kind, entity.id())
        };
        ui.heading(heading);
        if ui.button(Msg::Close.in_lang(state.lang)).clicked() {
            response.close = true;
        }
    });
    // The entity's fields (a parse of a probe), needed only when there are errors to place.
    let shown_fields = if verdict.errors.is_empty() {
        &[][..]
    } else {
        crate::io::field::field_names(entity.kind())
    };
    for (i, error) in verdict.errors.iter().enumerate() {
        match verdict.error_fields.get(i).copied().flatten() {
            // Shown under its widget instead (the id has no widget on existing entities).
            Some(field) if shown_fields.contains(&field) && (field != "id" || is_new) => {
                response.field_errors.push((field, error.clone(), false));
            }
            _ => {
                ui.colored_label(ui.visuals().error_fg_color, Msg::error(lang, error));
            }
        }
    }
    for warning in &verdict.warnings {
        ui.colored_label(ui.visuals().warn_fg_color, Msg::warning(lang, warning));
    }
    if verdict.is_refused() {
        let why = if is_new {
            Msg::NotAddedUntilFixed
        } else {
            Msg::NotAppliedKeepsLast
        };
        ui.label(RichText::new(why.in_lang(lang)).small().weak());
    }
    ui.separator();
    let id = entity.id().to_owned();
    egui::Grid::new(("form", &id))
        .num_columns(2)
        .spacing([8.0, 6.0])
        .show(ui, |ui| match entity {
            Entity::Thesis(thesis) => {
                thesis_fields(ui, thesis, choices, state, is_new, &mut response);
            }
            Entity::Figure(figure) => {
                figure_fields(ui, figure, choices, state, is_new, &mut response);
            }
            Entity::Node(node) => node_fields(ui, node, map, choices, state, is_new, &mut response),
            Entity::Link(link) => link_fields(ui, link, choices, state, is_new, &mut response),
            _ => {
                ui.label(Msg::EditedInItsFile.in_lang(state.lang));
                ui.end_row();
            }
        });
    match entity {
        Entity::Thesis(thesis) => {
            evidence_ui(ui, &mut thesis.evidence, choices, state, &mut response);
        }
        Entity::Link(link) => evidence_ui(ui, &mut link.evidence, choices, state, &mut response),
        _ => {}
    }
    // Errors about a field the form has no row for.
    for (_, error, shown) in &response.field_errors {
        if !shown {
            ui.colored_label(ui.visuals().error_fg_color, Msg::error(lang, error));
        }
    }
    ui.separator();
    ui.horizontal(|ui| {
        if is_new {
            let add = ui.add_enabled(
                !verdict.is_refused(),
                egui::Button::new(Msg::AddToTheMap.in_lang(state.lang)),
            );
            if add.clicked() {
                response.add = true;
            }
        } else if ui.button(Msg::Delete.in_lang(state.lang)).clicked() {
            response.delete = true;
        }
    });
    response
}

/// The checker's errors about `field`, in a row of their own under its widget.
fn field_errors(ui: &mut egui::Ui, field: &str, response: &mut FormResponse) {
    let errors = take_field_errors(response, field);
    if errors.is_empty() {
        return;
    }
    ui.label("");
    ui.vertical(|ui| {
        for error in errors {
            ui.colored_label(ui.visuals().error_fg_color, RichText::new(error).small());
        }
    });
    ui.end_row();
}

/// The errors about `field`, marked as shown.
fn take_field_errors(response: &mut FormResponse, field: &str) -> Vec<String> {
    let mut errors = Vec::new();
    for (f, error, shown) in &mut response.field_errors {
        if *f == field {
            errors.push(error.clone());
            *shown = true;
        }
    }
    errors
}

/// One row of the form: `name` as its label, what `add` puts beside it (given the label's
/// id, which names the widget for screen readers), then the checker's errors about the
/// field in a row under it.
fn row(
    ui: &mut egui::Ui,
    name: &'static str,
    response: &mut FormResponse,
    add: impl FnOnce(&mut egui::Ui, egui::Id, &mut FormResponse),
) {
    let label = ui.label(name);
    add(ui, label.id, response);
    ui.end_row();
    field_errors(ui, name, response);
}

fn id_field(ui: &mut egui::Ui, id: &mut Id, is_new: bool, response: &mut FormResponse) {
    row(ui, "id", response, |ui, label, response| {
        if is_new {
            let field = ui.add(egui::TextEdit::singleline(id).id_salt("id"));
            if field.labelled_by(label).lost_focus() {
                response.commit("id");
            }
        } else {
            ui.label(RichText::new(id.as_str()).monospace());
        }
    });
}

fn text_field(
    ui: &mut egui::Ui,
    name: &'static str,
    value: &mut String,
    multiline: bool,
    response: &mut FormResponse,
) {
    row(ui, name, response, |ui, label, response| {
        // Explicit ids: an error row appearing above must not make a field lose its text.
        let edit = if multiline {
            egui::TextEdit::multiline(value).desired_rows(3)
        } else {
            egui::TextEdit::singleline(value)
        }
        .id_salt(name);
        let field = ui.add(edit.desired_width(f32::INFINITY)).labelled_by(label);
        if field.lost_focus() {
            response.commit(name);
        }
    });
}

/// An optional text: empty means the field is left out of the file.
fn optional_text(
    ui: &mut egui::Ui,
    name: &'static str,
    value: &mut Option<String>,
    multiline: bool,
    response: &mut FormResponse,
) {
    let mut text = value.clone().unwrap_or_default();
    text_field(ui, name, &mut text, multiline, response);
    *value = (!text.is_empty()).then_some(text);
}

fn optional_date(
    ui: &mut egui::Ui,
    name: &'static str,
    value: &mut Option<IsoDate>,
    response: &mut FormResponse,
) {
    let mut text = value.as_ref().map(|d| d.as_str().to_owned());
    optional_text(ui, name, &mut text, false, response);
    *value = text.map(IsoDate::new);
}

/// A comma-separated list of words (tags). While the field has the keyboard its text is
/// kept as typed (a trailing comma, a space), and the words follow it.
fn word_list(
    ui: &mut egui::Ui,
    name: &'static str,
    values: &mut Vec<String>,
    response: &mut FormResponse,
) {
    let buffer_id = ui.make_persistent_id(("words", name));
    let mut text = ui
        .data(|d| d.get_temp::<String>(buffer_id))
        .unwrap_or_else(|| values.join(", "));
    row(ui, name, response, |ui, label, response| {
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut text)
                    .id_salt(name)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label);
        if edit.changed() {
            *values = text
                .split(',')
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect();
        }
        if edit.has_focus() {
            ui.data_mut(|d| d.insert_temp(buffer_id, text));
        } else {
            ui.data_mut(|d| d.remove::<String>(buffer_id));
        }
        if edit.lost_focus() {
            response.commit(name);
        }
    });
}

fn choice<T: Copy + PartialEq>(
    ui: &mut egui::Ui,
    name: &'static str,
    value: &mut T,
    options: &[T],
    label: impl Fn(T) -> &'static str,
    response: &mut FormResponse,
) {
    row(ui, name, response, |ui, name_label, response| {
        let before = *value;
        egui::ComboBox::from_id_salt(name)
            .selected_text(label(*value))
            .show_ui(ui, |ui| {
                for &option in options {
                    ui.selectable_value(value, option, label(option));
                }
            })
            .response
            .labelled_by(name_label);
        if *value != before {
            response.commit(name);
        }
    });
}

/// An id chosen among `options` (id, label); `none` offers leaving it empty.
/// What a choice of ids offers: each id with the name it shows, and the entry that stands
/// for no id where the field may be empty; `lang` names an id that is none of them.
#[derive(Clone, Copy)]
struct Choices<'a> {
    options: &'a [(Id, String)],
    none: Option<Msg>,
    lang: Lang,
}

impl<'a> Choices<'a> {
    /// `options`, with no entry for no id.
    fn of(options: &'a [(Id, String)], lang: Lang) -> Self {
        Choices {
            options,
            none: None,
            lang,
        }
    }
}

fn id_choice(
    ui: &mut egui::Ui,
    name: &'static str,
    label: egui::Id,
    value: &mut Option<Id>,
    choices: Choices<'_>,
    response: &mut FormResponse,
) {
    let none = choices.none.map(|n| n.in_lang(choices.lang));
    let shown = match value.as_deref() {
        Some(id) => choices
            .options
            .iter()
            .find(|(o, _)| o == id)
            .map_or_else(|| Msg::unknown_id(choices.lang, id), |(_, l)| l.clone()),
        None => none.unwrap_or("—").to_owned(),
    };
    let before = value.clone();
    egui::ComboBox::from_id_salt(name)
        .selected_text(shown)
        .width(220.0)
        .show_ui(ui, |ui| {
            if let Some(none) = none {
                ui.selectable_value(value, None, none);
            }
            for (id, option) in choices.options {
                ui.selectable_value(value, Some(id.clone()), option);
            }
        })
        .response
        .labelled_by(label);
    if *value != before {
        response.commit(name);
    }
}

/// Ids shown as chips that can be removed, with a chooser to add one.
fn id_list(
    ui: &mut egui::Ui,
    name: &'static str,
    label: egui::Id,
    values: &mut Vec<Id>,
    choices: Choices<'_>,
    response: &mut FormResponse,
) {
    let mut remove = None;
    ui.horizontal_wrapped(|ui| {
        for (i, id) in values.iter().enumerate() {
            let label = choices
                .options
                .iter()
                .find(|(o, _)| o == id)
                .map_or(id.as_str(), |(_, l)| l.as_str());
            if ui
                .button(format!("{label} ×"))
                .on_hover_text(Msg::remove_id(choices.lang, id))
                .clicked()
            {
                remove = Some(i);
            }
        }
    });
    if let Some(i) = remove {
        values.remove(i);
        response.commit(name);
    }
    let mut added: Option<Id> = None;
    let add = Choices {
        none: Some(Msg::AddChoice),
        ..choices
    };
    id_choice(
        ui,
        name,
        label,
        &mut added,
        add,
        &mut FormResponse::default(),
    );
    if let Some(id) = added
        && !values.contains(&id)
    {
        values.push(id);
        response.commit(name);
    }
}

/// Runs `add` in a child whose widgets keep their ids when rows appear above them (an
/// error under an earlier field): egui derives automatic ids from the widgets before,
/// and a widget whose id changes loses the keyboard in the middle of typing.
fn stable_scope<R>(ui: &mut egui::Ui, name: &str, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    let id = ui.make_persistent_id(name);
    ui.scope_builder(egui::UiBuilder::new().scope_id(id), add)
        .inner
}

/// Whether a number widget's change is complete: a drag ended, typing ended (Enter or
/// leaving the field), or a click changed it. Values in between (a drag, the digits of
/// "150" typed one by one) are shown and checked but not applied.
fn gesture_ended(widget: &egui::Response) -> bool {
    widget.drag_stopped()
        || widget.lost_focus()
        || (widget.changed() && !widget.dragged() && !widget.has_focus())
}

fn pick_button(
    ui: &mut egui::Ui,
    field: PickField,
    state: &ViewState,
    response: &mut FormResponse,
) {
    if ui
        .button(Msg::PickOnMap.in_lang(state.lang))
        .on_hover_text(field.hint(state.lang))
        .clicked()
    {
        response.pick = Some(field);
    }
}

/// An optional number with its open end: unticked leaves the end open.
fn open_number(
    ui: &mut egui::Ui,
    name: &'static str,
    value: &mut Option<f64>,
    fallback: f64,
    lang: Lang,
    response: &mut FormResponse,
) {
    row(ui, name, response, |ui, label, response| {
        stable_scope(ui, name, |ui| {
            ui.horizontal(|ui| {
                let mut given = value.is_some();
                let check = ui
                    .checkbox(&mut given, "")
                    .labelled_by(label)
                    .on_hover_text(Msg::leave_open(lang, name));
                if check.changed() {
                    *value = given.then_some(value.unwrap_or(fallback));
                    response.commit(name);
                }
                match value {
                    Some(number) => {
                        let drag = ui
                            .add(
                                egui::DragValue::new(number)
                                    .speed(0.5)
                                    .custom_formatter(|v, _| crate::model::format_number(v)),
                            )
                            .labelled_by(label);
                        if gesture_ended(&drag) {
                            response.merge(name);
                        }
                    }
                    None => {
                        ui.label(RichText::new(Msg::OpenEnd.in_lang(lang)).weak());
                    }
                }
            })
        });
    });
}

/// An entity's id with its name in `lang`, as a choice offers it.
fn named<T: EntityType + Named>(entity: &T, lang: Lang) -> (Id, String) {
    (entity.id().to_owned(), entity.name_in(lang).to_owned())
}

/// What the forms' choices offer, each id with the words it shows. Made once for a map
/// revision and a language, and kept by the window while forms are open: on a
/// 20,000-node map the subjects alone are 22,000 names, too many to make every frame.
#[derive(Debug, Default)]
pub struct FormChoices {
    /// The map revision and the language these were made for.
    pub made_for: (u64, Lang),
    /// Tiers, segments and nodes: what theses and figures may be about.
    subjects: Vec<(Id, String)>,
    /// Nodes, then segments: what a link may join (a segment where the source speaks of a
    /// whole level of the chain).
    link_ends: Vec<(Id, String)>,
    figures: Vec<(Id, String)>,
    markets: Vec<(Id, String)>,
    tiers: Vec<(Id, String)>,
    sources: Vec<(Id, String)>,
}

impl FormChoices {
    /// The choices of `map`, revision `revision`, in `lang`.
    pub fn of(map: &Map, revision: u64, lang: Lang) -> FormChoices {
        let nodes = || map.nodes.iter().map(|n| named(n, lang));
        let segments = || {
            map.segments.iter().map(move |s| {
                let name = s.name_in(lang);
                (s.id.clone(), Msg::segment_choice(lang, name))
            })
        };
        let tiers = map.tiers.iter().map(|t| {
            let name = t.name_in(lang);
            (t.id.clone(), Msg::tier_choice(lang, name))
        });
        FormChoices {
            made_for: (revision, lang),
            subjects: tiers.chain(segments()).chain(nodes()).collect(),
            link_ends: nodes().chain(segments()).collect(),
            figures: map
                .figures
                .iter()
                .map(|f| (f.id.clone(), format!("{} · {}", f.id, f.metric)))
                .collect(),
            markets: map.markets.iter().map(|m| named(m, lang)).collect(),
            tiers: map.tiers.iter().map(|t| named(t, lang)).collect(),
            sources: map
                .sources
                .iter()
                .map(|s| (s.id.clone(), s.title.clone()))
                .collect(),
        }
    }
}

fn thesis_fields(
    ui: &mut egui::Ui,
    thesis: &mut Thesis,
    choices: &FormChoices,
    state: &ViewState,
    is_new: bool,
    response: &mut FormResponse,
) {
    let lang = state.lang;
    id_field(ui, &mut thesis.id, is_new, response);
    text_field(ui, "title", &mut thesis.title, false, response);
    optional_text(ui, "title_zh", &mut thesis.title_zh, false, response);
    text_field(ui, "claim", &mut thesis.claim, true, response);
    optional_text(ui, "claim_zh", &mut thesis.claim_zh, true, response);
    let stances = [
        Stance::Bullish,
        Stance::Bearish,
        Stance::Neutral,
        Stance::Mixed,
    ];
    choice(
        ui,
        "stance",
        &mut thesis.stance,
        &stances,
        |s| s.label_in(lang),
        response,
    );
    row(ui, "conviction", response, |ui, label, response| {
        let slider = stable_scope(ui, "conviction", |ui| {
            ui.add(egui::Slider::new(&mut thesis.conviction, CONVICTION_RANGE))
        })
        .labelled_by(label);
        if gesture_ended(&slider) {
            response.merge("conviction");
        }
    });
    let statuses = [
        ThesisStatus::Active,
        ThesisStatus::Watching,
        ThesisStatus::Confirmed,
        ThesisStatus::Refuted,
        ThesisStatus::Retired,
    ];
    choice(
        ui,
        "status",
        &mut thesis.status,
        &statuses,
        |s| s.label_in(lang),
        response,
    );
    optional_text(ui, "horizon", &mut thesis.horizon, false, response);
    optional_date(ui, "as_of", &mut thesis.as_of, response);
    optional_date(ui, "review_by", &mut thesis.review_by, response);
    row(ui, "about", response, |ui, label, response| {
        ui.vertical(|ui| {
            let choices = Choices::of(&choices.subjects, lang);
            id_list(ui, "about", label, &mut thesis.about, choices, response);
            pick_button(ui, PickField::About, state, response);
        });
    });
    row(ui, "figures", response, |ui, label, response| {
        ui.vertical(|ui| {
            let choices = Choices::of(&choices.figures, lang);
            id_list(ui, "figures", label, &mut thesis.figures, choices, response);
        });
    });
    word_list(ui, "tags", &mut thesis.tags, response);
}

fn figure_fields(
    ui: &mut egui::Ui,
    figure: &mut Figure,
    choices: &FormChoices,
    state: &ViewState,
    is_new: bool,
    response: &mut FormResponse,
) {
    let lang = state.lang;
    id_field(ui, &mut figure.id, is_new, response);
    let subjects = &choices.subjects;
    row(ui, "subject", response, |ui, label, response| {
        ui.horizontal(|ui| {
            let mut subject = Some(figure.subject.clone());
            let choices = Choices::of(subjects, lang);
            id_choice(ui, "subject", label, &mut subject, choices, response);
            figure.subject = subject.unwrap_or_default();
            pick_button(ui, PickField::Subject, state, response);
        });
    });
    row(ui, "holders", response, |ui, label, response| {
        ui.vertical(|ui| {
            let choices = Choices::of(subjects, lang);
            id_list(ui, "holders", label, &mut figure.holders, choices, response);
        });
    });
    let markets = &choices.markets;
    row(ui, "market", response, |ui, label, response| {
        let choices = Choices {
            none: Some(Msg::NoneChoice),
            ..Choices::of(markets, lang)
        };
        id_choice(ui, "market", label, &mut figure.market, choices, response);
    });
    optional_text(ui, "case", &mut figure.case, false, response);
    text_field(ui, "metric", &mut figure.metric, false, response);
    optional_text(ui, "metric_zh", &mut figure.metric_zh, false, response);
    let fallback = figure.low.or(figure.high).unwrap_or(0.0);
    open_number(ui, "low", &mut figure.low, fallback, lang, response);
    let fallback = figure.high.or(figure.low).unwrap_or(0.0);
    open_number(ui, "high", &mut figure.high, fallback, lang, response);
    optional_text(ui, "unit", &mut figure.unit, false, response);
    let qualifiers = &Qualifier::ALL;
    choice(
        ui,
        "qualifier",
        &mut figure.qualifier,
        qualifiers,
        |q| q.label_in(lang),
        response,
    );
    optional_text(ui, "value", &mut figure.value, false, response);
    optional_text(ui, "scope", &mut figure.scope, false, response);
    optional_date(ui, "as_of", &mut figure.as_of, response);
    let sources = &choices.sources;
    row(ui, "source", response, |ui, label, response| {
        let mut source = Some(figure.source.clone());
        let choices = Choices::of(sources, lang);
        id_choice(ui, "source", label, &mut source, choices, response);
        figure.source = source.unwrap_or_default();
    });
    optional_text(ui, "quote", &mut figure.quote, true, response);
    optional_text(ui, "locator", &mut figure.locator, false, response);
    optional_text(ui, "note", &mut figure.note, true, response);
}

fn node_fields(
    ui: &mut egui::Ui,
    node: &mut Node,
    map: &Map,
    choices: &FormChoices,
    state: &ViewState,
    is_new: bool,
    response: &mut FormResponse,
) {
    let lang = state.lang;
    id_field(ui, &mut node.id, is_new, response);
    text_field(ui, "name", &mut node.name, false, response);
    optional_text(ui, "name_zh", &mut node.name_zh, false, response);
    choice(
        ui,
        "kind",
        &mut node.kind,
        &NodeKind::ALL,
        |k| k.label_in(lang),
        response,
    );
    let tiers = &choices.tiers;
    row(ui, "tier", response, |ui, label, response| {
        let mut tier = Some(node.tier.clone());
        let mut tier_response = FormResponse::default();
        let choices = Choices::of(tiers, lang);
        id_choice(ui, "tier", label, &mut tier, choices, &mut tier_response);
        if tier_response.commit.is_some() {
            // Segments belong to one tier: a node that moves tier leaves its segments.
            node.tier = tier.unwrap_or_default();
            node.segments.clear();
            response.commit("tier");
        }
    });
    row(ui, "segments", response, |ui, label, response| {
        ui.vertical(|ui| {
            let segments: Vec<(Id, String)> = map
                .segments
                .iter()
                .filter(|s| s.tier == node.tier)
                .map(|s| named(s, lang))
                .collect();
            let choices = Choices::of(&segments, lang);
            id_list(ui, "segments", label, &mut node.segments, choices, response);
        });
    });
    optional_text(ui, "organisation", &mut node.organisation, false, response);
    optional_text(ui, "description", &mut node.description, true, response);
    let description_zh = &mut node.description_zh;
    optional_text(ui, "description_zh", description_zh, true, response);
    word_list(ui, "tags", &mut node.tags, response);
    optional_text(ui, "url", &mut node.url, false, response);
    ui.label("pin");
    ui.horizontal(|ui| match node.pin {
        Some((x, _)) => {
            ui.label(Msg::pinned_at(lang, x));
            if ui.button(Msg::Unpin.in_lang(lang)).clicked() {
                node.pin = None;
                response.commit("pin");
            }
        }
        None => {
            ui.label(RichText::new(Msg::DragToPin.in_lang(lang)).weak());
        }
    });
    ui.end_row();
}

fn link_fields(
    ui: &mut egui::Ui,
    link: &mut Link,
    choices: &FormChoices,
    state: &ViewState,
    is_new: bool,
    response: &mut FormResponse,
) {
    let lang = state.lang;
    id_field(ui, &mut link.id, is_new, response);
    let nodes = &choices.link_ends;
    for (name, field, pick) in [
        ("from", &mut link.from, PickField::LinkFrom),
        ("to", &mut link.to, PickField::LinkTo),
    ] {
        row(ui, name, response, |ui, label, response| {
            ui.horizontal(|ui| {
                let mut value = (!field.is_empty()).then(|| field.clone());
                let choices = Choices::of(nodes, lang);
                id_choice(ui, name, label, &mut value, choices, response);
                *field = value.unwrap_or_default();
                pick_button(ui, pick, state, response);
            });
        });
    }
    choice(
        ui,
        "kind",
        &mut link.kind,
        &LinkKind::ALL,
        |k| k.label_in(lang),
        response,
    );
    optional_text(ui, "label", &mut link.label, false, response);
    optional_text(ui, "label_zh", &mut link.label_zh, false, response);
}

/// The evidence of a thesis or link: each quote with its source, locator and note.
fn evidence_ui(
    ui: &mut egui::Ui,
    evidence: &mut Vec<Evidence>,
    choices: &FormChoices,
    state: &ViewState,
    response: &mut FormResponse,
) {
    ui.separator();
    ui.strong("evidence");
    for error in take_field_errors(response, "evidence") {
        ui.colored_label(ui.visuals().error_fg_color, RichText::new(error).small());
    }
    let sources = &choices.sources;
    let mut remove = None;
    for (i, item) in evidence.iter_mut().enumerate() {
        ui.push_id(("evidence", i), |ui| {
            egui::Grid::new("evidence-item")
                .num_columns(2)
                .spacing([8.0, 4.0])
                .show(ui, |ui| {
                    let label = ui.label("source");
                    let mut source = Some(item.source.clone());
                    id_choice(
                        ui,
                        "evidence",
                        label.id,
                        &mut source,
                        Choices::of(sources, state.lang),
                        response,
                    );
                    item.source = source.unwrap_or_default();
                    ui.end_row();
                    for (label, value, multiline) in [
                        ("quote", &mut item.quote, true),
                        ("locator", &mut item.locator, false),
                        ("note", &mut item.note, false),
                    ] {
                        let mut part = FormResponse::default();
                        optional_text(ui, label, value, multiline, &mut part);
                        if part.commit.is_some() {
                            response.commit("evidence");
                        }
                    }
                });
            if ui
                .small_button(Msg::RemoveEvidence.in_lang(state.lang))
                .clicked()
            {
                remove = Some(i);
            }
        });
        ui.add_space(4.0);
    }
    if let Some(i) = remove {
        evidence.remove(i);
        response.commit("evidence");
    }
    if ui.button(Msg::AddEvidence.in_lang(state.lang)).clicked() {
        evidence.push(Evidence {
            source: (choices.sources.first())
                .map(|(id, _)| id.clone())
                .unwrap_or_default(),
            quote: None,
            locator: None,
            note: None,
        });
        response.commit("evidence");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::Harness;
    use egui_kittest::kittest::{By, Queryable as _};

    /// Whether the form of `entity` (a new one, so that its id has a widget too) shows a
    /// row labelled with each of `fields`, and what it says of a kind it has no form for.
    fn form_labels(entity: &Entity, map: &Map, fields: &[&str]) -> (Vec<bool>, bool) {
        let state = ViewState::default();
        let mut working = entity.clone();
        let choices = FormChoices::of(map, 1, state.lang);
        let harness = Harness::new_ui(|ui| {
            form_ui(
                ui,
                &mut working,
                map,
                &choices,
                &state,
                &Verdict::default(),
                true,
            );
        });
        let shown = fields
            .iter()
            .map(|field| {
                harness
                    .query_all(By::new().label(field).include_labels())
                    .next()
                    .is_some()
            })
            .collect();
        let in_its_file = harness
            .query_all(
                By::new()
                    .label_contains("edited in its file")
                    .include_labels(),
            )
            .next()
            .is_some();
        (shown, in_its_file)
    }

    #[test]
    fn choices_offer_every_subject_and_link_end_in_the_language_asked() {
        let map = crate::model::generate::generate(60, 1);
        let count = map.tiers.len() + map.segments.len() + map.nodes.len();
        let choices = FormChoices::of(&map, 7, Lang::Zh);
        assert_eq!(choices.made_for, (7, Lang::Zh));
        // Tiers, then segments, then nodes, each once.
        let subjects: Vec<&str> = choices.subjects.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(subjects.len(), count);
        assert_eq!(subjects[0], map.tiers[0].id);
        assert_eq!(subjects[map.tiers.len()], map.segments[0].id);
        assert_eq!(subjects[count - 1], map.nodes[map.nodes.len() - 1].id);
        // Nodes, then segments, named as the segment choice names them.
        let (first, _) = &choices.link_ends[0];
        assert_eq!(first, &map.nodes[0].id);
        let (last, words) = &choices.link_ends[choices.link_ends.len() - 1];
        let segment = &map.segments[map.segments.len() - 1];
        assert_eq!(last, &segment.id);
        assert_eq!(
            words,
            &Msg::segment_choice(Lang::Zh, segment.name_in(Lang::Zh))
        );
        assert_eq!(choices.figures.len(), map.figures.len());
        assert_eq!(choices.markets.len(), map.markets.len());
        assert_eq!(choices.sources.len(), map.sources.len());
    }

    #[test]
    fn every_field_of_an_edited_kind_has_a_widget_or_is_read_only() {
        let map = crate::io::starter::starter_map();
        for kind in EntityKind::ALL {
            let entity = map
                .entity(kind, 0)
                .expect("the starter map has one of each kind");
            let fields = crate::io::field::field_names(kind);
            assert!(fields.contains(&"id"), "{kind:?}: {fields:?}");
            let (shown, in_its_file) = form_labels(&entity, &map, fields);
            if !EDITED_KINDS.contains(&kind) {
                assert!(in_its_file, "{kind:?} has no form and must say so");
                continue;
            }
            assert!(!in_its_file, "{kind:?} has a form");
            let read_only = READ_ONLY_FIELDS
                .iter()
                .find(|(k, _)| *k == kind)
                .map_or(&[][..], |(_, fields)| fields);
            for (field, shown) in fields.iter().zip(shown) {
                let marked = read_only.contains(field);
                assert!(
                    shown || marked,
                    "{kind:?}.{field} has no widget in the form and is not in READ_ONLY_FIELDS"
                );
                assert!(
                    !(shown && marked),
                    "{kind:?}.{field} is marked read-only yet has a widget"
                );
            }
        }
        for (kind, fields) in READ_ONLY_FIELDS {
            let known = crate::io::field::field_names(*kind);
            assert!(EDITED_KINDS.contains(kind), "{kind:?} has no form at all");
            assert!(
                fields.iter().all(|f| known.contains(f)),
                "{kind:?}: {fields:?}"
            );
        }
    }
}
