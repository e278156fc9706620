//! A parser for the part of OData `$filter` that Graph clients send here.
//!
//! Grammar, with keywords matched in any case:
//!
//! ```text
//! filter    = condition *( "and" condition )
//! condition = path "eq" string
//!           / path "in" "(" string *( "," string ) ")"
//!           / path "/any(" var ":" var [ "/" name ] "eq" string ")"
//! path      = name *( "/" name )
//! string    = "'" *( char / "''" ) "'"
//! ```
//!
//! Anything else (`or`, `ne`, `not`, functions, unquoted literals) is rejected with a
//! [`FilterError`] that names the unsupported part. Each resource then checks which
//! properties it supports.

use std::fmt;

/// A parsed filter: conditions that must all hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// The conditions joined by `and`.
    pub conditions: Vec<Condition>,
}

/// One condition on a property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The property path as written, such as `telephoneNumber` or `assignedLicenses`.
    pub property: String,
    /// The test applied to the property.
    pub test: Test,
}

/// The test a condition applies to its property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Test {
    /// `property eq 'value'`.
    Equals(String),
    /// `property in ('a', 'b')`.
    In(Vec<String>),
    /// `property/any(x:x eq 'value')`, or with a member, `property/any(x:x/member eq 'v')`.
    AnyEquals {
        /// The member of each element that is compared, if not the element itself.
        member: Option<String>,
        /// The value compared with.
        value: String,
    },
}

impl Condition {
    /// Returns true when the property has this name, ignoring case.
    pub fn is_on(&self, property: &str) -> bool {
        self.property.eq_ignore_ascii_case(property)
    }

    /// Returns the values an `eq` or `in` condition accepts; `None` for `any`.
    pub fn accepted_values(&self) -> Option<&[String]> {
        match &self.test {
            Test::Equals(value) => Some(std::slice::from_ref(value)),
            Test::In(values) => Some(values),
            Test::AnyEquals { .. } => None,
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let quote = |value: &str| format!("'{}'", value.replace('\'', "''"));
        match &self.test {
            Test::Equals(value) => write!(f, "{} eq {}", self.property, quote(value)),
            Test::In(values) => {
                let list: Vec<String> = values.iter().map(|value| quote(value)).collect();
                write!(f, "{} in ({})", self.property, list.join(", "))
            }
            Test::AnyEquals { member, value } => {
                let element = match member {
                    Some(member) => format!("x/{member}"),
                    None => "x".to_owned(),
                };
                write!(f, "{}/any(x:{element} eq {})", self.property, quote(value))
            }
        }
    }
}

/// A filter parse error, with the byte offset where the problem starts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid $filter at position {position}: {message}")]
pub struct FilterError {
    /// Byte offset into the filter text.
    pub position: usize,
    /// Description of the problem.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Name(String),
    Text(String),
    Open,
    Close,
    Comma,
    Colon,
    Slash,
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Name(name) => write!(f, "'{name}'"),
            Token::Text(text) => write!(f, "the string '{text}'"),
            Token::Open => f.write_str("'('"),
            Token::Close => f.write_str("')'"),
            Token::Comma => f.write_str("','"),
            Token::Colon => f.write_str("':'"),
            Token::Slash => f.write_str("'/'"),
        }
    }
}

/// Splits filter text into tokens with their byte offsets.
fn tokenize(text: &str) -> Result<Vec<(usize, Token)>, FilterError> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' | ')' | ',' | ':' | '/' => {
                chars.next();
                let token = match c {
                    '(' => Token::Open,
                    ')' => Token::Close,
                    ',' => Token::Comma,
                    ':' => Token::Colon,
                    _ => Token::Slash,
                };
                tokens.push((start, token));
            }
            '\'' => {
                chars.next();
                let mut value = String::new();
                loop {
                    match chars.next() {
                        Some((_, '\'')) if chars.peek().map(|&(_, c)| c) == Some('\'') => {
                            chars.next();
                            value.push('\'');
                        }
                        Some((_, '\'')) => break,
                        Some((_, c)) => value.push(c),
                        None => {
                            return Err(FilterError {
                                position: start,
                                message: "the string is not closed with '".to_owned(),
                            })
                        }
                    }
                }
                tokens.push((start, Token::Text(value)));
            }
            c if c.is_alphanumeric() || c == '_' || c == '.' || c == '-' || c == '@' => {
                let mut name = String::new();
                while let Some(&(_, c)) = chars.peek() {
                    if c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '@') {
                        name.push(c);
                        chars.next();
                    } else {
                        break;
                    }
                }
                tokens.push((start, Token::Name(name)));
            }
            other => {
                return Err(FilterError {
                    position: start,
                    message: format!("unexpected character '{other}'"),
                })
            }
        }
    }
    Ok(tokens)
}

/// Walks the tokens of one filter.
struct Parser {
    tokens: Vec<(usize, Token)>,
    next: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.next).map(|(_, token)| token)
    }

    fn position(&self) -> usize {
        self.tokens.get(self.next).map_or(self.end, |(at, _)| *at)
    }

    fn error(&self, message: impl Into<String>) -> FilterError {
        FilterError {
            position: self.position(),
            message: message.into(),
        }
    }

    fn bump(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.next).map(|(_, token)| token.clone());
        self.next += 1;
        token
    }

    fn expect(&mut self, expected: Token) -> Result<(), FilterError> {
        match self.peek() {
            Some(token) if *token == expected => {
                self.next += 1;
                Ok(())
            }
            Some(token) => Err(self.error(format!("expected {expected}, found {token}"))),
            None => Err(self.error(format!("expected {expected}, found the end"))),
        }
    }

    fn name(&mut self, description: &str) -> Result<String, FilterError> {
        match self.peek() {
            Some(Token::Name(name)) => {
                let name = name.clone();
                self.next += 1;
                Ok(name)
            }
            Some(token) => Err(self.error(format!("expected {description}, found {token}"))),
            None => Err(self.error(format!("expected {description}, found the end"))),
        }
    }

    fn keyword(&mut self, keyword: &str) -> Result<(), FilterError> {
        let position = self.position();
        let found = self.name(&format!("'{keyword}'"))?;
        if found.eq_ignore_ascii_case(keyword) {
            return Ok(());
        }
        Err(FilterError {
            position,
            message: unsupported_operator(&found, keyword),
        })
    }

    fn text(&mut self) -> Result<String, FilterError> {
        match self.peek() {
            Some(Token::Text(text)) => {
                let text = text.clone();
                self.next += 1;
                Ok(text)
            }
            Some(token) => Err(self.error(format!(
                "expected a quoted string such as 'value', found {token}"
            ))),
            None => Err(self.error("expected a quoted string, found the end")),
        }
    }

    fn filter(&mut self) -> Result<Filter, FilterError> {
        let mut conditions = vec![self.condition()?];
        while self.peek().is_some() {
            self.keyword("and")?;
            conditions.push(self.condition()?);
        }
        Ok(Filter { conditions })
    }

    fn condition(&mut self) -> Result<Condition, FilterError> {
        let mut segments = vec![self.name("a property name")?];
        while self.peek() == Some(&Token::Slash) {
            self.bump();
            let segment = self.name("a property name after '/'")?;
            if segment.eq_ignore_ascii_case("any") {
                return self.any(segments.join("/"));
            }
            if segment.eq_ignore_ascii_case("all") {
                return Err(self.error("the 'all' lambda is not supported; use 'any'"));
            }
            segments.push(segment);
        }
        let property = segments.join("/");
        let position = self.position();
        let operator = self.name("an operator ('eq' or 'in')")?;
        if operator.eq_ignore_ascii_case("eq") {
            let value = self.text()?;
            return Ok(Condition {
                property,
                test: Test::Equals(value),
            });
        }
        if operator.eq_ignore_ascii_case("in") {
            self.expect(Token::Open)?;
            let mut values = vec![self.text()?];
            while self.peek() == Some(&Token::Comma) {
                self.bump();
                values.push(self.text()?);
            }
            self.expect(Token::Close)?;
            return Ok(Condition {
                property,
                test: Test::In(values),
            });
        }
        Err(FilterError {
            position,
            message: unsupported_operator(&operator, "eq' or 'in"),
        })
    }

    /// Parses `(var:var[/member] eq 'value')` after `property/any`.
    fn any(&mut self, property: String) -> Result<Condition, FilterError> {
        self.expect(Token::Open)?;
        let variable = self.name("a lambda variable such as 'c'")?;
        self.expect(Token::Colon)?;
        let position = self.position();
        let used = self.name("the lambda variable")?;
        if used != variable {
            return Err(FilterError {
                position,
                message: format!("expected the lambda variable '{variable}', found '{used}'"),
            });
        }
        let member = if self.peek() == Some(&Token::Slash) {
            self.bump();
            Some(self.name("a member name after '/'")?)
        } else {
            None
        };
        self.keyword("eq")?;
        let value = self.text()?;
        self.expect(Token::Close)?;
        Ok(Condition {
            property,
            test: Test::AnyEquals { member, value },
        })
    }
}

fn unsupported_operator(found: &str, expected: &str) -> String {
    format!("the operator '{found}' is not supported here; expected '{expected}'")
}

/// Parses `$filter` text.
pub fn parse(text: &str) -> Result<Filter, FilterError> {
    let tokens = tokenize(text)?;
    if tokens.is_empty() {
        return Err(FilterError {
            position: 0,
            message: "the filter is empty".to_owned(),
        });
    }
    let mut parser = Parser {
        tokens,
        next: 0,
        end: text.len(),
    };
    parser.filter()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn equals(property: &str, value: &str) -> Condition {
        Condition {
            property: property.to_owned(),
            test: Test::Equals(value.to_owned()),
        }
    }

    #[test]
    fn parses_single_equality() {
        let filter = parse("telephoneNumber eq '+14255550100'").unwrap();
        assert_eq!(
            filter.conditions,
            vec![equals("telephoneNumber", "+14255550100")]
        );
    }

    #[test]
    fn parses_and_with_any_lambda() {
        let filter = parse(
            "assignmentStatus eq 'unassigned' AND capabilities/any(c:c eq \
             'voiceApplicationAssignment')",
        )
        .unwrap();
        assert_eq!(filter.conditions.len(), 2);
        assert_eq!(
            filter.conditions[0],
            equals("assignmentStatus", "unassigned")
        );
        assert_eq!(
            filter.conditions[1],
            Condition {
                property: "capabilities".to_owned(),
                test: Test::AnyEquals {
                    member: None,
                    value: "voiceApplicationAssignment".to_owned()
                },
            }
        );
    }

    #[test]
    fn parses_any_with_member() {
        let filter =
            parse("assignedLicenses/any(l:l/skuId eq '440eaaa8-b3e0-484b-a8be-62870b9ba70a')")
                .unwrap();
        assert_eq!(
            filter.conditions[0].test,
            Test::AnyEquals {
                member: Some("skuId".to_owned()),
                value: "440eaaa8-b3e0-484b-a8be-62870b9ba70a".to_owned()
            }
        );
    }

    #[test]
    fn parses_in_list() {
        let filter = parse("id in ('a', 'b','c')").unwrap();
        assert_eq!(
            filter.conditions[0].test,
            Test::In(vec!["a".into(), "b".into(), "c".into()])
        );
        assert_eq!(filter.conditions[0].accepted_values().unwrap().len(), 3);
    }

    #[test]
    fn keywords_ignore_case() {
        let filter = parse("numberType EQ 'DirectRouting' and activationState Eq 'x'").unwrap();
        assert_eq!(filter.conditions.len(), 2);
    }

    #[test]
    fn doubled_quote_is_one_quote() {
        let filter = parse("displayName eq 'O''Brien'").unwrap();
        assert_eq!(filter.conditions[0], equals("displayName", "O'Brien"));
        assert_eq!(
            filter.conditions[0].to_string(),
            "displayName eq 'O''Brien'"
        );
    }

    #[test]
    fn or_is_rejected_by_name() {
        let error = parse("numberType eq 'a' or numberType eq 'b'").unwrap_err();
        assert!(error.message.contains("'or'"), "{error}");
        assert_eq!(error.position, 18);
    }

    #[test]
    fn ne_is_rejected_by_name() {
        let error = parse("numberType ne 'a'").unwrap_err();
        assert!(error.message.contains("'ne'"), "{error}");
    }

    #[test]
    fn unquoted_value_is_rejected() {
        let error = parse("accountEnabled eq false").unwrap_err();
        assert!(error.message.contains("quoted string"), "{error}");
    }

    #[test]
    fn unclosed_string_is_rejected() {
        let error = parse("telephoneNumber eq '+1425").unwrap_err();
        assert!(error.message.contains("not closed"), "{error}");
        assert_eq!(error.position, 19);
    }

    #[test]
    fn empty_and_trailing_input_are_rejected() {
        assert!(parse("   ").is_err());
        assert!(parse("numberType eq 'a' and").is_err());
        assert!(parse("numberType eq 'a' 'b'").is_err());
        assert!(parse("startswith(displayName,'a')").is_err());
    }

    #[test]
    fn lambda_variable_must_match() {
        let error = parse("capabilities/any(c:d eq 'x')").unwrap_err();
        assert!(error.message.contains("'c'"), "{error}");
    }

    #[test]
    fn all_lambda_is_rejected() {
        let error = parse("capabilities/all(c:c eq 'x')").unwrap_err();
        assert!(error.message.contains("'all'"), "{error}");
    }
}
