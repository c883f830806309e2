//! Editing shares where the market lens draws them: a dragged end of a share's bar is
//! checked while it moves and applied when it is released (one undo step), **+ Share** on
//! a card opens the form of a new share of the market held by that node, and × deletes a
//! share. All through the session, as every other edit.

use super::ChainmapApp;
use crate::model::{Edit, Entity, EntityKind, Figure, Qualifier};
use crate::ui::share_lens::{End, ShareButton, ShareDrag};

impl ChainmapApp {
    /// A share's end dragged on the map: checked while it moves (the complaint shows on
    /// the bar), applied when it is released and the checker accepts it.
    pub(super) fn share_dragged(&mut self, drag: &ShareDrag) {
        let edit = self.share_edit(drag);
        if !drag.done {
            let key = (drag.figure.clone(), drag.end, drag.value.to_bits());
            if self.edit.share_checked.as_ref() != Some(&key) {
                self.state.share_problem = match &edit {
                    Some(edit) => match self.session.check(edit) {
                        Ok(verdict) => verdict.errors.first().cloned(),
                        Err(error) => Some(error.to_string()),
                    },
                    None => None,
                };
                self.edit.share_checked = Some(key);
            }
            return;
        }
        self.edit.share_checked = None;
        self.state.share_problem = None;
        if let Some(edit) = edit {
            self.perform(edit, false);
        }
    }

    /// The edit a dragged end makes: the figure with its `low` or `high` set to the
    /// dragged value; `None` when the value is the figure's own.
    fn share_edit(&self, drag: &ShareDrag) -> Option<Edit> {
        let Some(Entity::Figure(mut figure)) =
            self.session.draft().get(EntityKind::Figure, &drag.figure)
        else {
            return None;
        };
        let value = Some(drag.value);
        match drag.end {
            End::Low if figure.low != value => figure.low = value,
            End::High if figure.high != value => figure.high = value,
            _ => return None,
        }
        // A bound on one side only no longer describes a range with both ends.
        if figure.low.is_some() && figure.high.is_some() && figure.low != figure.high {
            figure.qualifier = match figure.qualifier {
                Qualifier::AtLeast
                | Qualifier::MoreThan
                | Qualifier::AtMost
                | Qualifier::LessThan
                | Qualifier::Exact => Qualifier::Range,
                other => other,
            };
        }
        let label = format!("set {} of {}", drag.end.field(), figure.id);
        self.session
            .draft()
            .replace(Entity::Figure(figure), label)
            .ok()
    }

    /// A button on a card of the lens: add the node's share of the market (its form, for
    /// the number and the source), or delete a share.
    pub(super) fn share_button(&mut self, button: ShareButton) {
        match button {
            ShareButton::Add(node) => self.open_share_form(node),
            ShareButton::Delete(figure) => {
                match self.session.draft().delete(EntityKind::Figure, &figure) {
                    Ok(edit) => {
                        self.perform(edit, false);
                    }
                    Err(error) => self.edit.status = Some(error.to_string()),
                }
            }
        }
    }

    /// The form of a new share of the lens's market held by `node`: the market, subject,
    /// metric and unit filled in; the editor gives the number and its source.
    fn open_share_form(&mut self, node: usize) {
        let Some(lens) = &self.state.market else {
            return;
        };
        let market = lens.market_id.clone();
        self.state.selected = Some(node);
        self.open_new_form(EntityKind::Figure);
        if let Some(form) = &mut self.edit.form
            && let Entity::Figure(figure) = &mut form.entity
        {
            *figure = Figure {
                market: Some(market),
                metric: "market share".into(),
                metric_zh: Some("市场份额".into()),
                unit: Some("%".into()),
                ..figure.clone()
            };
        }
    }
}
