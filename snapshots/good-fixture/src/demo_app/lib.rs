pub const NAME: &str = "demo-app";
