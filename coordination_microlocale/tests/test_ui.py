from odoo.tests import tagged
