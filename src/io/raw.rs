//! The shape of one map file, exactly as written: `Map(…)` with map-wide settings and
//! any of the entity lists. A folder's files are merged into one [`crate::model::Map`].

use crate::model::{CaseStudy, Figure, IsoDate, Link, Market, Node, Segment, Source, Thesis, Tier};
use serde::{Deserialize, Serialize};

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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<Tier>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<Segment>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nodes: Vec<Node>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub markets: Vec<Market>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<Figure>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub theses: Vec<Thesis>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub case_studies: Vec<CaseStudy>,
}

impl MapFile {
    /// Whether this file gives any map-wide setting.
    pub fn has_meta(&self) -> bool {
        !self.meta_fields().is_empty()
    }

    /// The map-wide settings this file gives.
    pub fn meta(&self) -> crate::model::MapMeta {
        crate::model::MapMeta {
            title: self.title.clone(),
            title_zh: self.title_zh.clone(),
            description: self.description.clone(),
            description_zh: self.description_zh.clone(),
            as_of: self.as_of.clone(),
        }
    }

    /// The names of the map-wide settings this file gives, as written in the file.
    pub fn meta_fields(&self) -> Vec<&'static str> {
        [
            ("title", self.title.is_some()),
            ("title_zh", self.title_zh.is_some()),
            ("description", self.description.is_some()),
            ("description_zh", self.description_zh.is_some()),
            ("as_of", self.as_of.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, given)| given.then_some(name))
        .collect()
    }
}

impl From<crate::model::Map> for MapFile {
    /// The whole map as the contents of one file. Every field is named, so that a list
    /// added to the map does not compile until it has its place in the file.
    fn from(map: crate::model::Map) -> Self {
        let crate::model::Map {
            meta,
            sources,
            tiers,
            segments,
            nodes,
            links,
            markets,
            figures,
            theses,
            case_studies,
        } = map;
        let crate::model::MapMeta {
            title,
            title_zh,
            description,
            description_zh,
            as_of,
        } = meta;
        MapFile {
            title,
            title_zh,
            description,
            description_zh,
            as_of,
            sources,
            tiers,
            segments,
            nodes,
            links,
            markets,
            figures,
            theses,
            case_studies,
        }
    }
}

impl From<MapFile> for crate::model::Map {
    /// The file as one part of a map.
    fn from(file: MapFile) -> Self {
        crate::model::Map {
            meta: crate::model::MapMeta {
                title: file.title,
                title_zh: file.title_zh,
                description: file.description,
                description_zh: file.description_zh,
                as_of: file.as_of,
            },
            sources: file.sources,
            tiers: file.tiers,
            segments: file.segments,
            nodes: file.nodes,
            links: file.links,
            markets: file.markets,
            figures: file.figures,
            theses: file.theses,
            case_studies: file.case_studies,
        }
    }
}
