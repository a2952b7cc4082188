package toolgate.obligations_test

import data.toolgate.fixtures as fx
import data.toolgate.obligations

test_critical_tools_need_approval if {
	obligations.obligations == ["require_approval"] with input as fx.call("shell.exec", {}, {})
}

test_other_tools_do_not if {
	obligations.obligations == [] with input as fx.call("fs.delete", {}, {})
	obligations.obligations == [] with input as fx.call("nope", {}, {})
}

test_the_risks_come_from_settings if {
	obligations.obligations == ["require_approval"] with input as fx.call("fs.delete", {}, {})
		with data.toolgate.settings.approval.risks as ["high", "critical"]
}

test_marked_roles_need_approval_for_high_risk_tools if {
	obligations.obligations == ["require_approval"] with input as fx.by(fx.call("fs.delete", {}, {}), ["developer"])
		with data.toolgate.settings.approval.roles as ["developer"]
	obligations.obligations == [] with input as fx.by(fx.call("fs.write_file", {}, {}), ["developer"])
		with data.toolgate.settings.approval.roles as ["developer"]
}
