//! The shape of one map file, exactly as written: `Map(…)` with map-wide settings and
//! any of the entity lists. A folder's files are merged into one [`crate::model::Map`].

use crate::model::{
    CaseStudy, Figure, IsoDate, Link, Map, MapMeta, Market, Node, Segment, Source, Thesis, Tier,
};
use serde::{Deserialize, Serialize};

/// Declares [`MapFile`] from the table of entity kinds, a list per kind, and its
/// conversions to and from a [`Map`]: a kind added to the table has its place in the file.
macro_rules! map_file {
    ($( $kind:ident { list: $list:ident, word: $word:ident } ),* $(,)?) => {
        /// One file's `Map(…)`: the map-wide settings it gives, then its lists.
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields, rename = "Map")]
        pub struct MapFile {
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub title: Option<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub title_zh: Option<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub description: Option<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub description_zh: Option<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub as_of: Option<IsoDate>,
            $(
                #[serde(default, skip_serializing_if = "Vec::is_empty")]
                pub $list: Vec<$kind>,
            )*
        }

        impl From<Map> for MapFile {
            /// The whole map as the contents of one file.
            fn from(map: Map) -> Self {
                MapFile {
                    title: map.meta.title,
                    title_zh: map.meta.title_zh,
                    description: map.meta.description,
                    description_zh: map.meta.description_zh,
                    as_of: map.meta.as_of,
                    $($list: map.$list),*
                }
            }
        }

        impl From<MapFile> for Map {
            /// The file as one part of a map.
            fn from(file: MapFile) -> Self {
                Map {
                    meta: MapMeta {
                        title: file.title,
                        title_zh: file.title_zh,
                        description: file.description,
                        description_zh: file.description_zh,
                        as_of: file.as_of,
                    },
                    $($list: file.$list),*
                }
            }
        }
    };
}

crate::model::kinds::kinds_table!(map_file);
