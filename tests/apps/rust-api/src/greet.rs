//! The greeting the service answers with.

/// "Hello, <name>!", or "Hello, world!" without a name.
pub fn hello(name: &str) -> String {
    let name = if name.is_empty() { "world" } else { name };
    format!("Hello, {}!", name)
}

#[cfg(test)]
mod tests {
    use super::hello;

    #[test]
    fn greets_by_name_or_the_world() {
        assert_eq!(hello("layerwise"), "Hello, layerwise!");
        assert_eq!(hello(""), "Hello, world!");
    }
}
