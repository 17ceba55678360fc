//! CLI cases as data: each `tests/cmd/NAME.toml` runs the binary in a
//! sandbox copy of `tests/cmd/NAME.in/` and compares its output and exit
//! code. Adding a case adds no code. `TRYCMD=overwrite cargo test` rewrites
//! the expected output after a deliberate change (review the diff!).

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        .case("tests/cmd/*.toml");
}
