//! The JSON reader's (serde_json's) messages in Chinese, for the errors about item files
//! and drill scenarios, which quote them.

/// The JSON reader's message (`expected value`) in Chinese; one it has no words for is
/// given as it is.
pub fn json_zh(msg: &str) -> String {
    let known = [
        ("EOF while parsing a list", "行在列表结束前就结束了，缺少 `]`"),
        ("EOF while parsing an object", "行在对象结束前就结束了，缺少 `}`"),
        ("EOF while parsing a string", "行在文字结束前就结束了，缺少 `\"`"),
        ("EOF while parsing a value", "行在值之前就结束了"),
        ("expected `:`", "此处应为 `:`"),
        ("expected `,` or `]`", "此处应为 `,` 或 `]`"),
        ("expected `,` or `}`", "此处应为 `,` 或 `}`"),
        ("expected ident", "此处应为 true、false 或 null"),
        ("expected value", "此处应为一个值"),
        ("expected `\"`", "此处应为 `\"`"),
        ("invalid escape", "转义符无效"),
        ("invalid number", "数字无效"),
        ("number out of range", "数字超出范围"),
        ("invalid unicode code point", "Unicode 码位无效"),
        ("key must be a string", "字段名须是加引号的文字"),
        ("trailing comma", "多了结尾的逗号"),
        ("trailing characters", "JSON 之后还有多余的字符"),
        ("recursion limit exceeded", "嵌套层数过多"),
        ("lone leading surrogate in hex escape", "`\\u` 转义中有不成对的代理项"),
        ("unexpected end of hex escape", "`\\u` 转义不完整"),
    ];
    match known.iter().find(|(en, _)| msg == *en) {
        Some((_, zh)) => zh.to_string(),
        None if msg.starts_with("control character") => "文字中有控制字符".to_string(),
        None => msg.to_string(),
    }
}
