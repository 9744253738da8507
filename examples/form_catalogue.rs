fn main() {
    println!("{}", serde_json::to_string_pretty(&xuncha::form::catalogue()).unwrap());
}
