//! One description of each kind of entity a map holds: its name (a word of the message
//! catalogue, which the checker's messages use in English), its struct, and the list of
//! [`Map`] that holds it (declared here, from the same table), with how to reach that list.
//! Everything that works on "any entity" (edits, `set`, patching, writing, id tables, the
//! checker's duplicates) goes through [`EntityType`] and [`with_kind!`](crate::with_kind) instead of spelling
//! out every kind, so that a new kind is added here, in its struct, and in the rules that
//! check it.

use super::{CaseStudy, Figure, Link, MapMeta, Market, Msg, Node, Segment, Source, Thesis, Tier};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// What every entity type shares.
pub trait EntityType: Clone + PartialEq + Serialize + DeserializeOwned + Sized + 'static {
    const KIND: EntityKind;
    fn id(&self) -> &str;
    /// The map's list of this kind.
    fn list(map: &Map) -> &Vec<Self>;
    fn list_mut(map: &mut Map) -> &mut Vec<Self>;
    fn into_entity(self) -> Entity;
    /// The entity, when it is of this kind.
    fn of(entity: &Entity) -> Option<&Self>;
    fn target(index: usize) -> Target;
}

/// Generates, from one table, [`Map`], [`EntityKind`], [`Entity`], [`Target`] and the
/// [`EntityType`] of each entity struct.
macro_rules! entity_kinds {
    ($( $kind:ident { list: $list:ident, word: $word:ident } ),* $(,)?) => {
        /// A whole map, every file merged, in file order: its settings, and a list of each
        /// kind of entity.
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct Map {
            pub meta: MapMeta,
            $(pub $list: Vec<$kind>),*
        }

        /// The kinds of entity, in the order the checker declares their ids.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum EntityKind {
            $($kind),*
        }

        impl EntityKind {
            pub const ALL: [EntityKind; [$(EntityKind::$kind),*].len()] = [$(EntityKind::$kind),*];

            /// The field of `Map(…)` that holds this kind.
            pub fn list_name(self) -> &'static str {
                match self {
                    $(EntityKind::$kind => stringify!($list)),*
                }
            }

            /// How a message names one of them: `node "openai"`.
            pub fn noun(self) -> &'static str {
                self.word().en()
            }

            /// Its name in the message catalogue, for the window's words.
            pub fn word(self) -> Msg {
                match self {
                    $(EntityKind::$kind => Msg::$word),*
                }
            }

            /// The struct name the files write (`Node(…)`).
            pub fn struct_name(self) -> &'static str {
                match self {
                    $(EntityKind::$kind => stringify!($kind)),*
                }
            }
        }

        /// One entity of any kind.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Entity {
            $($kind($kind)),*
        }

        impl Entity {
            pub fn kind(&self) -> EntityKind {
                match self {
                    $(Entity::$kind(_) => EntityKind::$kind),*
                }
            }

            pub fn id(&self) -> &str {
                match self {
                    $(Entity::$kind(e) => &e.id),*
                }
            }
        }

        /// As the entity's own struct (`Node(…)`).
        impl Serialize for Entity {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(Entity::$kind(e) => e.serialize(serializer)),*
                }
            }
        }

        /// What an id names, once the map is validated: a kind and a position in its list.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Target {
            $($kind(usize)),*
        }

        impl Target {
            /// The entity's position in its list.
            pub fn index(self) -> usize {
                match self {
                    $(Target::$kind(i))|* => i,
                }
            }

            pub fn kind(self) -> EntityKind {
                match self {
                    $(Target::$kind(_) => EntityKind::$kind),*
                }
            }
        }

        $(
            impl EntityType for $kind {
                const KIND: EntityKind = EntityKind::$kind;

                fn id(&self) -> &str {
                    &self.id
                }

                fn list(map: &Map) -> &Vec<Self> {
                    &map.$list
                }

                fn list_mut(map: &mut Map) -> &mut Vec<Self> {
                    &mut map.$list
                }

                fn into_entity(self) -> Entity {
                    Entity::$kind(self)
                }

                fn of(entity: &Entity) -> Option<&Self> {
                    match entity {
                        Entity::$kind(e) => Some(e),
                        #[allow(unreachable_patterns)]
                        _ => None,
                    }
                }

                fn target(index: usize) -> Target {
                    Target::$kind(index)
                }
            }
        )*
    };
}

/// The table of entity kinds, in the order the checker declares their ids: each kind's
/// struct, the list of `Map(…)` that holds it, and its word in the message catalogue.
/// `kinds_table!(callback)` calls `callback! { Kind { list: …, word: … }, … }`: this file
/// builds the model's types from it, and the file format its `Map(…)`
/// ([`crate::io::raw::MapFile`]).
macro_rules! kinds_table {
    ($callback:ident) => {
        $callback! {
            Source { list: sources, word: EntitySource },
            Tier { list: tiers, word: EntityTier },
            Segment { list: segments, word: EntitySegment },
            Node { list: nodes, word: EntityNode },
            Link { list: links, word: EntityLink },
            Market { list: markets, word: EntityMarket },
            Figure { list: figures, word: EntityFigure },
            Thesis { list: theses, word: EntityThesis },
            CaseStudy { list: case_studies, word: EntityCaseStudy },
        }
    };
}

pub(crate) use kinds_table;

kinds_table!(entity_kinds);

/// Runs `$body` with the type `$T` set to the entity struct of `$kind` (an
/// [`EntityKind`]), so that generic code over [`EntityType`] serves every kind:
/// `with_kind!(kind, T => T::list(map).len())`.
#[macro_export]
macro_rules! with_kind {
    // The kinds of `kinds_table!`: the match is exhaustive, so that a kind missing here
    // does not compile.
    ($kind:expr, $T:ident => $body:expr) => {
        $crate::with_kind!(
            @each $kind, $T => $body;
            Source Tier Segment Node Link Market Figure Thesis CaseStudy
        )
    };
    (@each $kind:expr, $T:ident => $body:expr; $($each:ident)*) => {{
        match $kind {
            $($crate::model::EntityKind::$each => {
                type $T = $crate::model::$each;
                $body
            })*
        }
    }};
}

impl Map {
    /// Every id of the map with what it names, kind by kind in [`EntityKind::ALL`]'s order.
    pub fn ids(&self) -> impl Iterator<Item = (&str, Target)> {
        EntityKind::ALL.into_iter().flat_map(move |kind| {
            let ids: Vec<(&str, Target)> = with_kind!(kind, T => T::list(self)
                .iter()
                .enumerate()
                .map(|(i, e)| (e.id(), T::target(i)))
                .collect());
            ids
        })
    }

    /// The number of entities of `kind`.
    pub fn count(&self, kind: EntityKind) -> usize {
        with_kind!(kind, T => T::list(self).len())
    }

    /// The position of the first entity of `kind` with this id.
    pub fn position(&self, kind: EntityKind, id: &str) -> Option<usize> {
        with_kind!(kind, T => T::list(self).iter().position(|e| e.id() == id))
    }

    /// A copy of the `index`-th entity of `kind`.
    pub fn entity(&self, kind: EntityKind, index: usize) -> Option<Entity> {
        with_kind!(kind, T => T::list(self).get(index).cloned().map(T::into_entity))
    }

    /// Empties the list of `kind`.
    pub fn clear_list(&mut self, kind: EntityKind) {
        with_kind!(kind, T => T::list_mut(self).clear());
    }

    /// Moves every entity of `part` to the end of this map's lists, kind by kind: how the
    /// files of a folder (and the parts of a draft) become one map. The map-wide settings
    /// are the caller's to merge.
    pub fn append(&mut self, part: &mut Map) {
        for kind in EntityKind::ALL {
            with_kind!(kind, T => T::list_mut(self).append(T::list_mut(part)));
        }
    }

    /// Makes room for `additional` more entities of `kind`.
    pub fn reserve(&mut self, kind: EntityKind, additional: usize) {
        with_kind!(kind, T => T::list_mut(self).reserve(additional));
    }

    /// The entities of `kind`, taken out of the map.
    pub fn take_entities(&mut self, kind: EntityKind) -> Vec<Entity> {
        with_kind!(kind, T => std::mem::take(T::list_mut(self))
            .into_iter()
            .map(T::into_entity)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_names_its_own_list_and_struct() {
        let mut map = Map::default();
        map.nodes
            .push(Node::new("n", "N", super::super::NodeKind::Company, "t"));
        for kind in EntityKind::ALL {
            let expected = usize::from(kind == EntityKind::Node);
            assert_eq!(map.count(kind), expected, "{kind:?}");
        }
        assert_eq!(EntityKind::Node.list_name(), "nodes");
        assert_eq!(EntityKind::CaseStudy.list_name(), "case_studies");
        assert_eq!(EntityKind::CaseStudy.struct_name(), "CaseStudy");
        assert_eq!(EntityKind::CaseStudy.noun(), "case study");
        let entity = map.entity(EntityKind::Node, 0).expect("the node");
        assert_eq!(entity.kind(), EntityKind::Node);
        assert_eq!(Node::of(&entity).map(|n| n.id.as_str()), Some("n"));
        assert_eq!(map.ids().collect::<Vec<_>>(), vec![("n", Target::Node(0))]);
        map.clear_list(EntityKind::Node);
        assert_eq!(map.count(EntityKind::Node), 0);
    }
}
