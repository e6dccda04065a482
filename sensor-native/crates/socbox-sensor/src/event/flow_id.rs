//! An event's flow id, held inline when it is a community id.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

use super::Value;
use crate::net::CommunityId;

/// The `flow` of an event: the community id of its flow. The pipeline's
/// ids (always 30 ASCII bytes) are held inline, so the two or three events
/// of a short flow allocate no string for it; an id of any other form (an
/// event made elsewhere, a test) is kept on the heap. Compared, hashed and
/// printed as its text, whichever way it is held.
#[derive(Clone)]
pub enum FlowId {
    Community(CommunityId),
    Text(Box<str>),
}

impl FlowId {
    pub fn as_str(&self) -> &str {
        match self {
            Self::Community(id) => id.as_str(),
            Self::Text(s) => s,
        }
    }

    /// The id as an encoder writes it: a community id (base64 and a
    /// prefix) needs no JSON escape, text from elsewhere may.
    pub fn value(&self) -> Value<'_> {
        match self {
            Self::Community(id) => Value::Name(id.as_str()),
            Self::Text(s) => Value::Str(s),
        }
    }
}

impl Deref for FlowId {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<CommunityId> for FlowId {
    fn from(id: CommunityId) -> Self {
        Self::Community(id)
    }
}

impl From<String> for FlowId {
    fn from(s: String) -> Self {
        Self::Text(s.into_boxed_str())
    }
}

impl From<&str> for FlowId {
    fn from(s: &str) -> Self {
        Self::Text(s.into())
    }
}

impl PartialEq for FlowId {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for FlowId {}

impl PartialEq<&str> for FlowId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Hash for FlowId {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for FlowId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for FlowId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::{community_id_v1, FlowTuple};
    use std::collections::hash_map::DefaultHasher;

    fn hash(id: &FlowId) -> u64 {
        let mut h = DefaultHasher::new();
        id.hash(&mut h);
        h.finish()
    }

    /// A flow from 10.0.0.1 to 10.0.0.2.
    fn tuple(proto: u8, src_port: u16, dst_port: u16) -> FlowTuple {
        FlowTuple {
            src: "10.0.0.1".parse().unwrap(),
            dst: "10.0.0.2".parse().unwrap(),
            proto,
            src_port,
            dst_port,
        }
    }

    /// Held inline or on the heap, the same text is the same id: equal,
    /// hashed alike, printed alike.
    #[test]
    fn inline_and_heap_ids_of_one_text_agree() {
        let t = tuple(17, 5353, 53);
        let inline = FlowId::from(CommunityId::v1(&t, 0));
        let heap = FlowId::from(community_id_v1(&t, 0));
        assert!(matches!(inline, FlowId::Community(_)));
        assert!(matches!(heap, FlowId::Text(_)));
        assert_eq!(inline, heap);
        assert_eq!(hash(&inline), hash(&heap));
        assert_eq!(format!("{inline:?} {inline}"), format!("{heap:?} {heap}"));
        assert_eq!(inline, community_id_v1(&t, 0).as_str());
        assert_ne!(inline, FlowId::from("1:Xb0="));
        assert_eq!(&*FlowId::from("1:Xb0="), "1:Xb0=");
    }

    /// Only a community id is written without the escape check.
    #[test]
    fn only_a_community_id_is_a_name() {
        let id = CommunityId::v1(&tuple(6, 40000, 443), 0);
        assert_eq!(FlowId::from(id).value(), Value::Name(id.as_str()));
        assert_eq!(FlowId::from("a\"b").value(), Value::Str("a\"b"));
    }
}
