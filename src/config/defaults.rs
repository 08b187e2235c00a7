//! The built-in units of the source document: Yuanling County's township governments
//! (with the Taichang and Shenxikou sub-district offices), the Tai'an Community
//! Service Centre, and the county departments that handle public opinion.

use crate::domain::department::Department;

const UNITS: &[(&str, &str)] = &[
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
];

/// The built-in department list.
pub fn default_departments() -> Vec<Department> {
    UNITS.iter().map(|(code, name)| Department { code: code.to_string(), name: name.to_string() }).collect()
}
