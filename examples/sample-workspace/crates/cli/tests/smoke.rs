#[test]
fn greets() {
    assert!(greeter::greet("x").contains('X'));
}
