fn main() {
    let name = std::env::args().nth(1).unwrap_or_else(|| "wharf".to_string());
    println!("{}", greeter::greet(&name));
}
