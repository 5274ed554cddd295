"""The instructor's server on the course's hub: the formgrader may be framed by JupyterLab.

JupyterHub forbids framing (`frame-ancestors 'none'`), which leaves the formgrader panel
blank inside Lab; the instructor's own pages may frame each other (nbgrader's docs).
"""

c = get_config()  # noqa: F821
c.ServerApp.tornado_settings = {
    "headers": {"Content-Security-Policy": "frame-ancestors 'self'"}
}
