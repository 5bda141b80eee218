pub fn greet(name: &str) -> String {
    let text = format!("Hello, {name}!");
    if cfg!(feature = "shout") { text.to_uppercase() } else { text }
}
