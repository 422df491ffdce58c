#!/bin/sh
echo demo-app
