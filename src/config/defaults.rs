//! The built-in units of the source document, which is addressed to 各乡镇人民政府 and
//! the county's departments: the county government's general office (县政府办公室,
//! which receives the reports of R11), Yuanling County's town (镇) and township (乡)
//! governments (with the Taichang and Shenxikou sub-district offices), the Tai'an
//! Community Service Centre, and the county departments that handle public opinion.
//! Every county edits its own list in `departments.toml`.

use crate::domain::department::Department;

const UNITS: &[(&str, &str)] = &[
    ("xzfb", "县政府办公室"),
    ("zwgk", "县政务公开办"),
    ("xcb", "县委宣传部"),
    ("wxb", "县委网信办"),
    ("gaj", "县公安局"),
    ("jyj", "县教育局"),
    ("wjj", "县卫健局"),
    ("zjj", "县住建局"),
    ("rsj", "县人社局"),
    ("scjgj", "县市场监管局"),
    ("yjj", "县应急管理局"),
    ("zrzyj", "县自然资源局"),
    ("jtj", "县交通运输局"),
    ("mzj", "县民政局"),
    ("xfj", "县信访局"),
    ("rmt", "县融媒体中心"),
    ("tcjd", "太常街道办事处"),
    ("sxkjd", "深溪口街道办事处"),
    ("tasq", "太安社区服务中心"),
    ("ylz", "沅陵镇人民政府"),
    ("gzz", "官庄镇人民政府"),
    ("lsjz", "凉水井镇人民政府"),
    ("qjpz", "七甲坪镇人民政府"),
    ("wqxz", "五强溪镇人民政府"),
    ("mxkz", "明溪口镇人民政府"),
    ("mxpz", "麻溪铺镇人民政府"),
    ("sjwz", "筲箕湾镇人民政府"),
    ("hcx", "火场土家族乡人民政府"),
    ("djpx", "杜家坪乡人民政府"),
    ("lxx", "荔溪乡人民政府"),
    ("dhpx", "大合坪乡人民政府"),
];

/// The built-in department list.
pub fn default_departments() -> Vec<Department> {
    UNITS.iter().map(|(code, name)| Department { code: code.to_string(), name: name.to_string() }).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_county_offices_and_every_kind_of_township_government_are_built_in() {
        let names: Vec<String> = super::default_departments().into_iter().map(|d| d.name).collect();
        assert!(names.iter().any(|n| n == "县政府办公室"), "the office that receives reports to the county");
        assert!(names.iter().any(|n| n.ends_with("乡人民政府")), "乡 governments: {names:?}");
        assert!(names.iter().any(|n| n.ends_with("镇人民政府")));
    }
}
